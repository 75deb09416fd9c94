// On narrow screens the main menu folds behind a "Menu" button, so the header stays one row.
// Without JavaScript the button stays hidden and the menu stays open (the header wraps instead).
(() => {
  const button = document.querySelector(".menu-toggle");
  if (!button) return;
  const header = button.closest(".site-header");
  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  };
  header.classList.add("menu-folds");
  button.hidden = false;
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
