// Import pages: upload progress on the upload form, and a progress bar while a commit runs. An upload
// form with data-progress-url (the GIFT import, which writes while it answers) also polls that URL
// once the file is sent and shows "Writing n of m".
// Without JavaScript both forms are plain posts. Texts come translated from the template's
// data-text-* attributes; "%(name)s" placeholders are filled in here.
(function () {
  "use strict";

  var POLL_MS = 500;
  var language = document.documentElement.lang || "th";

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function number(value) {
    return new Intl.NumberFormat(language).format(value);
  }

  function percentText(fraction) {
    return new Intl.NumberFormat(language, { style: "percent" }).format(fraction);
  }

  function progressBox(form) {
    var box = form.querySelector("[data-import-progress]");
    return {
      show: function () {
        box.hidden = false;
      },
      set: function (text, fraction) {
        var bar = box.querySelector("progress");
        if (fraction === null) {
          bar.removeAttribute("value"); // an indeterminate bar: working, length unknown
        } else {
          bar.value = Math.round(fraction * 100);
        }
        box.querySelector("[role=status]").textContent = text;
      },
    };
  }

  function disable(form) {
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.disabled = true;
    });
  }

  // --- The upload form: bytes sent so far, then "checking" until the dry-run page comes back.
  function enhanceUpload(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.busy) {
        return;
      }
      form.dataset.busy = "1";
      disable(form);
      var box = progressBox(form);
      var data = new FormData(form);
      box.show();
      box.set(fill(form.dataset.textUploading, { percent: percentText(0) }), 0);
      // The upload did not get through: say so and let HR try again.
      function failedUpload() {
        box.set(form.dataset.textError, 0);
        delete form.dataset.busy;
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = false;
        });
      }
      var polling = false;
      var pollTimer = null;
      function pollWriting() {
        fetch(form.dataset.progressUrl, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          cache: "no-store",
        })
          .then(function (response) {
            return response.ok ? response.json() : null;
          })
          .then(function (state) {
            if (polling && state && state.stage === "writing" && state.total) {
              var text = fill(form.dataset.textWriting, {
                done: number(state.done),
                total: number(state.total),
              });
              box.set(text, state.done / state.total);
            }
          })
          .catch(function () {})
          .then(function () {
            if (polling) {
              pollTimer = window.setTimeout(pollWriting, POLL_MS);
            }
          });
      }
      function stopPolling() {
        polling = false;
        window.clearTimeout(pollTimer);
      }
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.onprogress = function (progress) {
        if (progress.lengthComputable) {
          var fraction = progress.loaded / progress.total;
          box.set(fill(form.dataset.textUploading, { percent: percentText(fraction) }), fraction);
        }
      };
      request.upload.onload = function () {
        box.set(form.dataset.textChecking, null);
        if (form.dataset.progressUrl && form.dataset.textWriting) {
          polling = true;
          pollTimer = window.setTimeout(pollWriting, POLL_MS);
        }
      };
      request.onload = function () {
        stopPolling();
        var page = request.responseURL.split("#")[0];
        if (request.status < 400 && page !== window.location.href.split("#")[0]) {
          window.location.assign(page); // redirected to the dry-run page
          return;
        }
        // The form came back with errors: show it as the plain post would have.
        var answer = new DOMParser().parseFromString(request.responseText, "text/html");
        var returned = answer.querySelector("form[data-import-upload]");
        if (request.status < 400 && returned) {
          form.replaceWith(document.importNode(returned, true));
          enhanceUpload(document.querySelector("form[data-import-upload]"));
        } else {
          failedUpload();
        }
      };
      request.onerror = request.onabort = function () {
        stopPolling();
        failedUpload();
      };
      request.send(data);
    });
  }

  // --- The commit form: one post, a poll of the progress endpoint while it runs.
  function enhanceCommit(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.busy) {
        return; // a double click sends one request
      }
      form.dataset.busy = "1";
      disable(form);
      var box = progressBox(form);
      var running = true;
      var timer = null;
      var failed = false;
      box.show();
      box.set(form.dataset.textSending, null);

      function show(state) {
        if (state.stage === "writing" && state.total) {
          var text = fill(form.dataset.textWriting, {
            done: number(state.done),
            total: number(state.total),
          });
          box.set(text, state.done / state.total);
        } else if (state.stage === "checking") {
          box.set(form.dataset.textChecking, null);
        } else if (state.stage === "finished") {
          box.set(form.dataset.textFinished, 1);
        } else if (state.stage === "failed") {
          failed = true;
          box.set(form.dataset.textFailed, 0);
        }
      }

      function poll() {
        fetch(form.dataset.progressUrl, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          cache: "no-store",
        })
          .then(function (response) {
            return response.ok ? response.json() : null;
          })
          .then(function (state) {
            if (running && state) {
              show(state);
            }
          })
          .catch(function () {})
          .then(function () {
            if (running) {
              timer = window.setTimeout(poll, POLL_MS);
            }
          });
      }

      // The commit answers with a redirect to this import's page, where the message waits: go there
      // ourselves instead of following it, so the message is not used up by a request nobody sees.
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
        credentials: "same-origin",
        redirect: "manual",
      })
        .then(function (response) {
          running = false;
          window.clearTimeout(timer);
          if (response.type === "opaqueredirect" || response.ok) {
            box.set(failed ? form.dataset.textFailed : form.dataset.textOpening, failed ? 0 : 1);
            window.location.assign(form.dataset.doneUrl);
          } else {
            box.set(form.dataset.textError, 0);
          }
        })
        .catch(function () {
          running = false;
          window.clearTimeout(timer);
          box.set(form.dataset.textError, 0);
        });
      timer = window.setTimeout(poll, POLL_MS);
    });
  }

  document.querySelectorAll("form[data-import-upload]").forEach(enhanceUpload);
  document.querySelectorAll("form[data-import-commit]").forEach(enhanceCommit);
})();
