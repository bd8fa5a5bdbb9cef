import Crypto
import Foundation
import Vapor

/// The site's one script: comfort on top of pages that work without it. It counts the
/// characters left in long answers, hides questions that do not apply, saves questionnaire
/// steps as people type, and shows deadlines in the reader's own time zone too.
enum Script {
    static let version: String = {
        SHA256.hash(data: Data(source.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }()

    static func serve(_ request: Request) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .init(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
        headers.cacheControl = .init(isPublic: true, immutable: true, maxAge: 31_536_000)
        return Response(status: .ok, headers: headers, body: .init(string: source))
    }

    static let source = #"""
    "use strict";
    (function () {
      var lang = document.documentElement.lang || "en";
      function say(key, values) {
        var template = (document.body && document.body.dataset[key]) || "";
        return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
      }

      // Characters left in long answers.
      document.querySelectorAll("textarea[data-max-length]").forEach(function (area) {
        var max = parseInt(area.dataset.maxLength, 10);
        var counter = document.createElement("p");
        counter.className = "counter";
        counter.setAttribute("aria-live", "polite");
        counter.id = area.id + "-counter";
        area.insertAdjacentElement("afterend", counter);
        area.setAttribute("aria-describedby", ((area.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
        function update() {
          var used = Array.from(area.value.replace(/\r\n/g, "\n").trim()).length;
          var left = max - used;
          counter.textContent = left >= 0 ? say("charactersLeft", { count: left }) : say("charactersOver", { count: -left });
          counter.classList.toggle("over", left < 0);
        }
        area.addEventListener("input", update);
        update();
      });

      // Questions shown only for some answers to an earlier question.
      var conditional = document.querySelectorAll("[data-visible-when]");
      function valuesOf(form, field) {
        var values = [];
        form.querySelectorAll("[name='q." + field + "']").forEach(function (input) {
          if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
          if (input.value) { values.push(input.value); }
        });
        return values;
      }
      function applyConditions() {
        conditional.forEach(function (element) {
          var form = element.closest("form");
          if (!form) { return; }
          var wanted = element.dataset.visibleValues.split("|");
          var given = valuesOf(form, element.dataset.visibleWhen);
          element.hidden = !given.some(function (value) { return wanted.indexOf(value) >= 0; });
        });
      }
      if (conditional.length) {
        document.addEventListener("change", applyConditions);
        applyConditions();
      }

      // Saving a questionnaire step while typing.
      document.querySelectorAll("form.questionnaire-form").forEach(function (form) {
        var status = document.createElement("p");
        status.className = "autosave-status";
        status.setAttribute("aria-live", "polite");
        form.querySelector(".actions").insertAdjacentElement("beforebegin", status);
        var timer = null, saving = false, pending = false;
        function save() {
          if (saving) { pending = true; return; }
          saving = true;
          var body = new URLSearchParams(new FormData(form));
          fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                               headers: { "X-Autosave": "1", "Accept": "application/json" } })
            .then(function (response) { return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; }); })
            .then(function (result) {
              if (result.ok) {
                form.querySelector("input[name=revision]").value = result.data.revision;
                status.textContent = say("autosaved", { time: new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }) });
              } else if (result.status === 409) {
                status.textContent = say("autosaveConflict", {});
              } else {
                status.textContent = say("autosaveProblems", {});
              }
            })
            .catch(function () { status.textContent = say("autosaveOffline", {}); })
            .then(function () { saving = false; if (pending) { pending = false; save(); } });
        }
        form.addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(save, 2500);
        });
      });

      // Moments also in the reader's time zone.
      document.querySelectorAll("time.deadline[datetime]").forEach(function (element) {
        var moment = new Date(element.getAttribute("datetime"));
        if (isNaN(moment)) { return; }
        var local = document.createElement("span");
        local.className = "secondary local-time";
        local.textContent = say("yourTime", { time: moment.toLocaleString(lang, { dateStyle: "long", timeStyle: "short", timeZoneName: "short" }) });
        element.insertAdjacentElement("afterend", local);
      });
    })();
    """#
}
