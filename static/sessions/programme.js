// Public programme: apply a filter as soon as a select changes (the Show button stays for
// people without JavaScript and for the search box).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("programme-filters");
  if (!form) return;
  form.querySelectorAll("select").forEach((select) => {
    select.addEventListener("change", () => form.submit());
  });
});
