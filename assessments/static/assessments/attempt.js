// Taking an attempt: autosave, the clock, the question navigator (answered / not answered /
// flagged for review) and, for a long test, one part of ten questions shown at a time. Every
// question stays in the form (a hidden part is still sent), so autosave and the final submit send
// every answer; flags are the employee's own reminders and stay in this tab (sessionStorage).
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var msg = form.dataset;
  var status = document.getElementById("save-status");
  var timeLeft = document.getElementById("time-left");
  var nav = document.getElementById("attempt-nav");
  var toggle = nav.querySelector(".attempt-nav-toggle");
  var answeredCount = document.getElementById("answered-count");
  var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));
  var links = {};
  Array.prototype.forEach.call(nav.querySelectorAll("a.nav-q"), function (a) { links[a.dataset.question] = a; });
  var phone = window.matchMedia("(max-width: 760px)");

  // --- Flags, kept for this attempt in this tab ---
  var flagKey = "attempt-flags-" + msg.attempt;
  var flags = {};
  try { (JSON.parse(window.sessionStorage.getItem(flagKey)) || []).forEach(function (n) { flags[n] = true; }); }
  catch (e) { flags = {}; }
  function storeFlags() {
    try { window.sessionStorage.setItem(flagKey, JSON.stringify(Object.keys(flags))); } catch (e) { /* private mode */ }
  }

  function isAnswered(fieldset) {
    var selects = fieldset.querySelectorAll("select");
    if (selects.length) {  // matching: answered once every pair is set
      return Array.prototype.every.call(selects, function (s) { return s.value !== ""; });
    }
    if (fieldset.querySelector("input[type=radio]:checked, input[type=checkbox]:checked")) { return true; }
    return Array.prototype.some.call(fieldset.querySelectorAll("input[type=text]"), function (i) {
      return i.value.trim() !== "";
    });
  }

  function paint(fieldset) {
    var number = fieldset.dataset.question;
    var link = links[number];
    if (!link) { return; }
    var answered = isAnswered(fieldset);
    var flagged = !!flags[number];
    link.classList.toggle("answered", answered);
    link.classList.toggle("flagged", flagged);
    fieldset.classList.toggle("flagged", flagged);
    var state = link.querySelector(".nav-q-state");
    if (state) {
      state.textContent = " " + (answered ? msg.msgAnswered : msg.msgUnanswered) + (flagged ? ", " + msg.msgFlagged : "");
    }
    var button = fieldset.querySelector(".flag-toggle");
    if (button) { button.setAttribute("aria-pressed", flagged ? "true" : "false"); }
  }

  function paintAll() {
    var answered = 0;
    questions.forEach(function (q) { paint(q); if (isAnswered(q)) { answered += 1; } });
    if (answeredCount) { answeredCount.textContent = String(answered); }
    return answered;
  }

  questions.forEach(function (fieldset) {
    var button = fieldset.querySelector(".flag-toggle");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var number = fieldset.dataset.question;
      if (flags[number]) { delete flags[number]; } else { flags[number] = true; }
      storeFlags();
      paint(fieldset);
    });
  });
  var legendFlag = nav.querySelector(".nav-legend-flag");
  if (legendFlag) { legendFlag.hidden = false; }

  // --- Parts: one shown at a time; without this script every part shows, one after another ---
  var parts = Array.prototype.slice.call(form.querySelectorAll("section.attempt-section"));
  var partKey = "attempt-part-" + msg.attempt;
  function showPart(number) {
    if (parts.length < 2) { return; }
    parts.forEach(function (part) { part.hidden = part.dataset.section !== String(number); });
    Array.prototype.forEach.call(nav.querySelectorAll("a.nav-q"), function (a) {
      a.classList.toggle("in-part", a.dataset.section === String(number));
    });
    try { window.sessionStorage.setItem(partKey, String(number)); } catch (e) { /* private mode */ }
  }
  function partOf(target) {
    var part = target.closest("section.attempt-section");
    return part ? part.dataset.section : null;
  }
  if (parts.length > 1) {
    parts.forEach(function (part) {
      var steps = part.querySelector(".section-steps");
      if (steps) { steps.hidden = false; }
    });
    form.addEventListener("click", function (e) {
      var step = e.target.closest(".section-steps button[data-go]");
      if (!step) { return; }
      showPart(step.dataset.go);
      var shown = document.getElementById("part-" + step.dataset.go);
      var cover = phone.matches ? nav.getBoundingClientRect().height : 0;
      window.scrollTo({top: window.pageYOffset + shown.getBoundingClientRect().top - cover - 8});
    });
    var start = null;
    try { start = window.sessionStorage.getItem(partKey); } catch (e) { start = null; }
    var fromHash = window.location.hash && document.getElementById(window.location.hash.slice(1));
    showPart((fromHash && partOf(fromHash)) || (document.getElementById("part-" + start) ? start : "1"));
  }

  // --- The navigator: on phones it folds into the bar; choosing a number jumps there ---
  function setOpen(open) {
    nav.classList.toggle("collapsed", !open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  toggle.hidden = false;
  toggle.addEventListener("click", function () { setOpen(nav.classList.contains("collapsed")); });
  setOpen(!phone.matches);
  if (phone.addEventListener) {
    phone.addEventListener("change", function (e) { setOpen(!e.matches); });
  }
  nav.addEventListener("click", function (e) {
    var link = e.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    e.preventDefault();
    if (partOf(target)) { showPart(partOf(target)); }
    if (phone.matches) { setOpen(false); }
    // below the navigator where it sticks over the page (phones), else at the top
    var cover = phone.matches ? nav.getBoundingClientRect().height : 0;
    window.scrollTo({top: window.pageYOffset + target.getBoundingClientRect().top - cover - 8});
    // the question itself takes the focus (not its first input: on a phone that opens the keyboard)
    target.setAttribute("tabindex", "-1");
    target.focus({preventScroll: true});
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", link.getAttribute("href")); }
  });

  // --- Autosave ---
  var timer = null;
  function save() {
    fetch(msg.saveUrl, {method: "POST", body: new FormData(form), credentials: "same-origin", headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { return r.json().then(function (d) { return [r.status, d]; }); })
      .then(function (res) {
        if (res[0] === 200) { status.textContent = msg.msgSaved + " " + new Date().toLocaleTimeString(document.documentElement.lang || undefined); }
        else { status.textContent = res[1].error || msg.msgNotSaved; if (res[1].expired || res[1].submitted) { window.location.reload(); } }
      })
      .catch(function () { status.textContent = msg.msgOffline; });
  }
  form.addEventListener("change", function () { paintAll(); clearTimeout(timer); timer = setTimeout(save, 600); });
  form.addEventListener("input", function () { paintAll(); clearTimeout(timer); timer = setTimeout(save, 1500); });
  document.getElementById("save-button").addEventListener("click", function (e) { e.preventDefault(); save(); });

  // --- Submit: say what is unanswered or flagged before the employee confirms ---
  document.getElementById("submit-button").addEventListener("click", function (e) {
    var unanswered = questions.length - paintAll();
    var flagged = Object.keys(flags).filter(function (n) { return links[n]; }).length;
    var text = this.dataset.confirm;
    if (unanswered) { text += "\n" + msg.msgLeftUnanswered + " " + unanswered; }
    if (flagged) { text += "\n" + msg.msgLeftFlagged + " " + flagged; }
    if (!window.confirm(text)) { e.preventDefault(); }
  });

  // --- The clock ---
  if (timeLeft) {
    var end = Date.now() + parseInt(timeLeft.dataset.remaining, 10) * 1000;
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      timeLeft.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      timeLeft.classList.toggle("low", s <= 300);
      if (s <= 0) { window.location.reload(); return; }
      setTimeout(tick, 1000);
    };
    tick();
  }

  paintAll();
})();
