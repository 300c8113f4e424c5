/* Tawasul desk: live events over the WebSocket, turned into htmx triggers, and timers.
   The socket carries only event names and references; each panel re-fetches itself over
   HTTP, where access scope and audit apply. */
(function () {
  "use strict";
  var retry = 1000;
  var connectedBefore = false;

  // Error responses (4xx) carry the message naming the field: show them instead of dropping.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (status >= 400 && status < 500 && status !== 401) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  // Contact events caused by this page's own clicks arrive while (or after) the click's own
  // response renders the panel; refreshing again would throw away what the agent types.
  var ownRequests = 0;
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.requestConfig && e.detail.requestConfig.verb === "post") ownRequests++;
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.requestConfig && e.detail.requestConfig.verb === "post") {
      setTimeout(function () { ownRequests = Math.max(0, ownRequests - 1); }, 300);
    }
  });

  // The panel already shows this offer in this status: re-rendering it would only throw
  // away what the agent is typing.
  function showing(payload) {
    var card = document.querySelector("[data-offer='" + payload.offer_id + "']");
    return !!card && card.dataset.offerStatus === payload.status;
  }

  function setLive(state) {
    document.body.dataset.ws = state;
    var el = document.querySelector(".live-status");
    if (el) {
      el.textContent = el.dataset[state === "open" ? "wsLabelOpen" : "wsLabelClosed"] || "";
      el.classList.toggle("open", state === "open");
    }
  }

  function connect() {
    if (!document.querySelector(".topnav .signout")) return; // not signed in
    if (document.body.dataset.ws !== "closed") setLive("closed");
    var proto = location.protocol === "https:" ? "wss" : "ws";
    var ws = new WebSocket(proto + "://" + location.host + "/ws/desk/");
    ws.onmessage = function (e) {
      var msg;
      try { msg = JSON.parse(e.data); } catch (err) { return; }
      if (msg.event === "hello") {
        retry = 1000;
        setLive("open");
        // Events sent while the socket was down are gone: every live panel re-reads itself
        // (an offer that rang meanwhile pops now).
        if (connectedBefore) ["agent", "contact", "case"].forEach(function (group) {
          if (window.htmx) htmx.trigger(document.body, "desk-" + group, {});
        });
        connectedBefore = true;
        return;
      }
      if (!msg.event || !window.htmx) return;
      var group = msg.event.split(".")[0];
      if (group === "contact") {
        // A new offer always pops; other contact events are skipped when they echo our click.
        var echo = msg.event !== "contact.offered" && ownRequests > 0;
        if (echo || showing(msg.payload)) return;
      }

      htmx.trigger(document.body, "desk-" + group, msg.payload);
      htmx.trigger(document.body, "desk-" + msg.event.replace(/\./g, "-"), msg.payload);
    };
    ws.onclose = function (e) {
      setLive("closed");
      if (e.code === 4401 || e.code === 4403) return; // signed out: do not hammer the server
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  function fmt(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)), ss = String(s).padStart(2, "0");
    return (h ? h + ":" : "") + mm + ":" + ss;
  }

  // The unit letters come from the element (data-unit-day/-hour/-minute, translated in the
  // template): the script has no catalogue of its own.
  function fmtLong(seconds, el) {
    seconds = Math.abs(Math.floor(seconds));
    var d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600),
        m = Math.floor((seconds % 3600) / 60);
    var ud = el.dataset.unitDay || "d", uh = el.dataset.unitHour || "h", um = el.dataset.unitMinute || "m";
    return (d ? d + ud + " " : "") + (d || h ? h + uh + " " : "") + m + um;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-since]").forEach(function (el) {
      el.textContent = fmt((now - Date.parse(el.dataset.since)) / 1000);
    });
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = (Date.parse(el.dataset.due) - now) / 1000;
      el.classList.toggle("overdue", left < 0);
      var text = left < 0 ? el.dataset.overdueLabel + " " + fmtLong(left, el) : fmtLong(left, el) + " " + el.dataset.leftLabel;
      el.textContent = "";
      var b = document.createElement("bdi");
      b.textContent = text;
      el.appendChild(b);
    });
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = (Date.parse(el.dataset.deadline) - now) / 1000;
      el.textContent = fmt(left);
      if (left <= 0 && el.dataset.autoclick && !el.dataset.fired) {
        el.dataset.fired = "1";
        var button = document.querySelector(el.dataset.autoclick);
        if (button) button.click();
      }
    });
  }

  // Listeners here, not hx-on or javascript: links: those are inline code, which the
  // Content-Security-Policy refuses (htmx's allowEval is off too).
  // A panel that cannot load says so (data-unavailable) instead of "Loading…" for good.
  document.addEventListener("htmx:responseError", function (e) {
    var el = e.detail.elt;
    if (el && el.dataset && el.dataset.unavailable !== undefined) el.textContent = el.dataset.unavailable;
  });
  // "Back" goes back in history when there is one, else follows its link to the desk.
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-history-back]");
    if (link && history.length > 1) {
      e.preventDefault();
      history.back();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    connect();
    tick();
    setInterval(tick, 1000);
  });
  document.addEventListener("htmx:afterSettle", tick);
})();
