// The people picker searches as the coordinator types. Without this script the search button
// submits the form and the page comes back with the results (courses.assignments.views).
const setUpPeoplePickers = () => {
  const pickers = document.querySelectorAll("[data-people-picker]");
  pickers.forEach((picker) => {
    const url = picker.dataset.searchUrl;
    const name = picker.dataset.fieldName;
    const query = picker.querySelector("[data-people-picker-query]");
    const results = picker.querySelector("[data-people-picker-results]");
    const chosen = picker.querySelector("[data-people-picker-chosen]");
    let timer = null;
    let latest = 0;

    const load = async (page) => {
      const params = new URLSearchParams({ q: query.value.trim(), p: page || 1 });
      const request = ++latest;
      const response = await fetch(`${url}?${params}`, {
        headers: { "X-Requested-With": "XMLHttpRequest" },
        credentials: "same-origin",
      });
      if (request !== latest || !response.ok) {
        return;
      }
      results.innerHTML = await response.text();
      const ticked = new Set(
        [...chosen.querySelectorAll(`input[name="${name}"]`)].map((box) => box.value),
      );
      results.querySelectorAll(`input[name="${name}"]`).forEach((box) => {
        if (ticked.has(box.value)) {
          box.closest("li").remove();
        }
      });
    };

    query.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => load(1), 250);
    });
    query.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        load(1);
      }
    });
    picker.addEventListener("click", (event) => {
      const search = event.target.closest("[data-people-picker-search]");
      const page = event.target.closest("[data-people-picker-page]");
      if (search || page) {
        event.preventDefault();
        load(page ? page.dataset.peoplePickerPage : 1);
      }
    });
    // A ticked result moves to the chosen people, so a new search does not lose it.
    results.addEventListener("change", (event) => {
      const box = event.target;
      if (box.name === name && box.checked) {
        chosen.appendChild(box.closest("li"));
      }
    });
  });
};

// The admin loads its scripts in the page's head: wait for the form.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setUpPeoplePickers);
} else {
  setUpPeoplePickers();
}
