// Live fee preview: asks the server (the same fee and voucher rules that charge) as the form
// changes. A voucher the registration would refuse shows the reason instead of a price.
(function () {
  "use strict";
  const form = document.getElementById("registration-form");
  if (!form) { return; }
  const amount = document.getElementById("fee-amount");
  const reasons = document.getElementById("fee-reasons");
  const refusal = document.getElementById("fee-error");
  function value(name) {
    const field = form.elements.namedItem(name);
    return field ? field.value : "";
  }
  let timer = null;
  function refresh() {
    const params = new URLSearchParams({
      category: value("category"),
      country: value("country"),
      organisation: value("organisation"),
      voucher: value("voucher_code"),
      email: value("email"),
      code: value("access_code"),
    });
    fetch(form.dataset.feeUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        amount.textContent = data.error ? "" : (data.amount || "");
        reasons.textContent = !data.error && data.reasons.length ? "(" + data.reasons.join(", ") + ")" : "";
        if (!data.error && data.member_amount) { reasons.textContent += " " + data.member_amount; }
        refusal.textContent = data.error || "";
        refusal.hidden = !data.error;
      })
      .catch(function () { amount.textContent = ""; });
  }
  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 200);
  });
  refresh();
})();
