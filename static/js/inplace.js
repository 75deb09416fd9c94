// In-place forms: a form marked data-inplace="ID" is posted with fetch; the server answers
// with the HTML of the element #ID, which replaces the one on the page, and of any other element
// marked data-inplace-refresh that the change affects (replacing the one on the page with the
// same id: the relationship page's trust panel after a log, confirm or dispute). Focus moves to
// the first field in error, else to what the fragment marks data-focus, and the fragment's
// data-announce text is read out from a live region. Without JavaScript, or when anything
// goes wrong here, the form posts as usual and the server redirects (post, redirect, get).
(() => {
  "use strict";

  function liveRegion() {
    let region = document.getElementById("inplace-live");
    if (!region) {
      region = document.createElement("div");
      region.id = "inplace-live";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(text) {
    const region = liveRegion();
    region.textContent = "";
    // A fresh text node after a tick is what makes screen readers speak a repeated message.
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  function refresh(doc) {
    doc.querySelectorAll("[data-inplace-refresh][id]").forEach((fresh) => {
      const current = document.getElementById(fresh.id);
      if (current) current.replaceWith(fresh);
    });
  }

  function settle(fresh) {
    const invalid = fresh.querySelector("[aria-invalid='true']");
    const target = invalid || fresh.querySelector("[data-focus]") || fresh;
    target.focus({ preventScroll: Boolean(!invalid && target !== fresh) });
    const alert = fresh.querySelector("[role='alert']");
    const message = fresh.dataset.announce || (alert ? alert.textContent.trim() : "");
    if (message) announce(message);
  }

  async function send(form, submitter) {
    const id = form.dataset.inplace;
    const current = document.getElementById(id);
    const body = new FormData(form, submitter);
    const buttons = form.querySelectorAll("button, input[type='submit']");
    buttons.forEach((button) => { button.disabled = true; });
    form.setAttribute("aria-busy", "true");
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "text/html" },
      });
    } catch (error) {
      buttons.forEach((button) => { button.disabled = false; });
      form.removeAttribute("aria-busy");
      announce("The change was not sent: check your connection and try again.");
      return;
    }
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = doc.getElementById(id);
    if (!current || !fresh || !(response.ok || response.status === 400)) {
      // Not a fragment we know (an error page, a sign-in page): let the browser show it.
      form.dataset.inplace = "";
      form.submit();
      return;
    }
    current.replaceWith(fresh);
    refresh(doc);
    settle(fresh);
    document.dispatchEvent(new CustomEvent("inplace:swapped", { detail: { id } }));
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.inplace) return;
    if (!window.fetch || !window.DOMParser) return;
    event.preventDefault();
    send(form, event.submitter || null);
  });
})();
