// Typeahead for the search box: fills the native <datalist> with names and skills the signed-in
// person may see. Without JavaScript the box is a plain search form.
(() => {
  const input = document.querySelector("input[data-typeahead]");
  if (!input) return;
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  let last = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const prefix = input.value.trim();
      if (prefix.length < 2 || prefix === last) return;
      last = prefix;
      try {
        const response = await fetch(`${input.dataset.typeahead}?q=${encodeURIComponent(prefix)}`,
                                      { headers: { Accept: "application/json" } });
        if (!response.ok) return;
        const { suggestions, notice } = await response.json();
        // "Search is being rebuilt": said where the box's hint is, while it lasts
        input.title = notice || "";
        list.replaceChildren(...suggestions.map((s) => {
          const option = document.createElement("option");
          option.value = s.label;
          option.label = s.kind === "skill" ? "Skill" : "Person";
          return option;
        }));
      } catch { /* offline or signed out: the plain search still works */ }
    }, 150);
  });
})();
