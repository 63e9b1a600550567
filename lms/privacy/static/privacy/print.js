// The print button of Settings › Processing activities; a file, as the site allows no inline script.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-privacy-print]")) {
    window.print();
  }
});
