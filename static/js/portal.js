/* The portal's page behaviour, in one file: no page carries a script of its own (the
 * Content-Security-Policy allows scripts from the portal's origin only). Behaviour is asked for
 * by data attributes:
 *
 *   <select data-autosubmit>              submits its form when changed
 *   <input type="checkbox" data-check-all="ids">   ticks every checkbox named "ids"
 *   <form data-confirm="…"> / <button data-confirm="…">
 *                                         asks in the portal's confirmation dialog first
 *                                         (destructive and money steps); data-confirm-action
 *                                         names the button ("Delete", "Pay", …)
 *   <input data-money>                    echoes the amount in 元 and 万元 while typing
 *                                         (into the element named by data-money-echo);
 *                                         data-money-unit="wan": the amount is typed in 万元
 *   <input data-double-entry-of="name">   the second typing of a large amount: shown only while the
 *                                         amount named is above data-double-entry-above (元)
 *   <input data-picker="/pick/enterprise/" list="…">
 *                                         suggests records by name or credit code
 *   <table class="table-cards">           on a phone, each row becomes a card whose cells are
 *                                         labelled with their column's header (static/css/portal.css)
 *   <script type="application/json" id="…">  data for charts, read by static/js/charts.js
 */
(function () {
  "use strict";

  function on(selector, event, handler) {
    document.addEventListener(event, function (e) {
      var target = e.target.closest ? e.target.closest(selector) : null;
      if (target) { handler.call(target, e); }
    });
  }

  /* --- submit on change ------------------------------------------------------------------- */
  on("select[data-autosubmit], input[data-autosubmit]", "change", function () {
    if (this.form) { this.form.requestSubmit ? this.form.requestSubmit() : this.form.submit(); }
  });

  /* --- tick all ----------------------------------------------------------------------------- */
  on("input[data-check-all]", "change", function () {
    var name = this.dataset.checkAll, checked = this.checked;
    var scope = this.closest("form") || document;
    scope.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = checked;
    });
  });

  /* --- the confirmation dialog ---------------------------------------------------------------- */
  var confirmed = new WeakSet();

  function ask(message, action, proceed) {
    var element = document.getElementById("portal-confirm");
    if (!element || !window.bootstrap) {  // no dialog on this page: the browser's own
      if (window.confirm(message)) { proceed(); }
      return;
    }
    element.querySelector("[data-confirm-message]").textContent = message;
    var button = element.querySelector("[data-confirm-accept]");
    button.textContent = action || button.dataset.defaultLabel;
    var modal = window.bootstrap.Modal.getOrCreateInstance(element);
    function accept() {
      button.removeEventListener("click", accept);
      modal.hide();
      proceed();
    }
    element.addEventListener("hidden.bs.modal", function () {
      button.removeEventListener("click", accept);
    }, { once: true });
    button.addEventListener("click", accept);
    modal.show();
  }

  // A submit button with data-confirm, or a form with it: hold the submission until confirmed.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var submitter = e.submitter || null;
    var source = submitter && submitter.dataset.confirm ? submitter : (form.dataset.confirm ? form : null);
    if (!source || confirmed.has(form)) { confirmed.delete(form); return; }
    e.preventDefault();
    ask(source.dataset.confirm, source.dataset.confirmAction, function () {
      confirmed.add(form);
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    });
  }, true);

  /* --- money: 元 and 万元 echo ---------------------------------------------------------------- */
  var AMOUNT = /^(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]{1,2})?$/;

  function grouped(text) {
    var parts = text.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }

  function echo(input) {
    var target = document.getElementById(input.dataset.moneyEcho || "");
    if (!target) { return; }
    var text = input.value.trim();
    if (!text) { target.textContent = ""; target.classList.remove("text-danger"); return; }
    if (!AMOUNT.test(text)) {
      target.textContent = target.dataset.invalid || "";
      target.classList.add("text-danger");
      return;
    }
    target.classList.remove("text-danger");
    var plain = text.replace(/,/g, "");
    var scale = input.dataset.moneyUnit === "wan" ? 1000000 : 100;  // cents in one unit typed
    var cents = Math.round(parseFloat(plain) * scale);  // exact for amounts up to 9e13 元
    var yuan = (cents / 100).toFixed(2);
    var wan = (Math.round(cents / 100) / 10000).toFixed(2);
    target.textContent = "= " + grouped(yuan) + " 元 = " + grouped(wan) + " 万元";
  }

  on("input[data-money]", "input", function () { echo(this); doubleEntry(this.form); });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-money]").forEach(echo);
    document.querySelectorAll("form").forEach(doubleEntry);
  });

  /* --- double entry: an amount above the threshold is typed twice --------------------------------- */
  // The second input (data-double-entry-of names the first, data-double-entry-above the threshold in
  // 元) shows only while the first amount is above the threshold; the server checks it either way.
  function doubleEntry(form) {
    if (!form) { return; }
    form.querySelectorAll("input[data-double-entry-of]").forEach(function (again) {
      var first = form.querySelector('input[name="' + again.dataset.doubleEntryOf + '"]');
      var wrap = again.closest('[id^="wrap-"]') || again.parentElement;
      if (!first || !wrap) { return; }
      var text = first.value.trim();
      var above = AMOUNT.test(text) && parseFloat(text.replace(/,/g, "")) > parseFloat(again.dataset.doubleEntryAbove);
      wrap.hidden = !above && !again.value && !again.classList.contains("is-invalid");
    });
  }

  /* --- pickers: records by name or credit code -------------------------------------------------- */
  var timers = new WeakMap();
  on("input[data-picker]", "input", function () {
    var input = this;
    var list = document.getElementById(input.getAttribute("list") || "");
    if (!list) { return; }
    clearTimeout(timers.get(input));
    var text = input.value.trim();
    if (text.length < 2) { return; }
    timers.set(input, setTimeout(function () {
      var url = input.dataset.picker + "?q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren();
          (data.results || []).forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.value;
            option.label = item.label;
            option.textContent = item.label;
            list.appendChild(option);
          });
        })
        .catch(function () { /* offline for a moment: the typed text is still checked on the server */ });
    }, 200));
  });
  /* --- lists as cards on phones: each cell carries its column's header ------------------------ */
  function labelCards(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < (cell.colSpan || 1); i++) { labels.push(cell.textContent.trim()); }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (labels[column] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", labels[column]); }
          column += cell.colSpan || 1;
        });
      });
    });
  }
  document.querySelectorAll("table.table-cards").forEach(labelCards);
  document.addEventListener("htmx:afterSwap", function (e) {
    e.target.querySelectorAll("table.table-cards").forEach(labelCards);
  });
})();
