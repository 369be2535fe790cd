// Placement preview: a click on a host cell of the map explains that host (the why-not form).
document.addEventListener("click", (event) => {
  const cell = event.target.closest(".host-map .cell[data-host]");
  if (!cell) return;
  const form = document.getElementById("why-form");
  if (!form) return;
  form.elements.host.value = cell.dataset.host;
  form.requestSubmit();
});
