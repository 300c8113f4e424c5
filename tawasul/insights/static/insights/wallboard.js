// The wallboard: render snapshots pushed over the WebSocket; reconnect forever (TV screens run
// unattended), except when the server says the viewer is not allowed (4401/4403).
(function () {
  "use strict";
  var root = document.getElementById("wallboard");
  if (!root) return;
  var labels = JSON.parse(root.dataset.stateLabels || "{}");
  var status = document.getElementById("wb-status");
  var none = root.dataset.none || "—";
  var language = (document.documentElement.lang || "en").slice(0, 2);

  function percent(v) { return v === null || v === undefined || v === "" ? none : (v * 100).toFixed(1) + "%"; }
  function text(id, v) { var el = document.getElementById(id); if (el) el.textContent = v; }
  function cell(row, value) { var td = document.createElement("td"); td.textContent = value; row.appendChild(td); }

  function rows(id, items) {
    var body = document.getElementById(id);
    body.replaceChildren();
    items.forEach(function (item) {
      var tr = document.createElement("tr");
      tr.dataset.key = item.key;
      cell(tr, (item.names && item.names[language]) || item.label); cell(tr, item.waiting); cell(tr, item.longest_wait);
      cell(tr, percent(item.service_level)); cell(tr, item.answered);
      body.appendChild(tr);
    });
  }

  function render(s) {
    text("wb-waiting", s.waiting);
    text("wb-longest", s.longest_wait);
    text("wb-sl", percent(s.service_level));
    text("wb-answered", s.answered);
    text("wb-abandoned", s.abandoned);
    var agents = document.getElementById("wb-agents");
    agents.replaceChildren();
    Object.keys(s.agents || {}).sort().forEach(function (state) {
      var li = document.createElement("li");
      li.dataset.state = state;
      li.textContent = (labels[state] || state) + ": " + s.agents[state];
      agents.appendChild(li);
    });
    rows("wb-hotlines", s.hotlines || []);
    rows("wb-queues", s.queues || []);
    root.dataset.at = s.at;
  }

  var initial = document.getElementById("wb-initial");
  if (initial) render(JSON.parse(initial.textContent));

  var delay = 1000;
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + root.dataset.ws);
    socket.onopen = function () { delay = 1000; status.textContent = status.dataset.connected; status.className = "status live"; };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.event === "wallboard.snapshot") render(data.payload);
    };
    socket.onclose = function (event) {
      if (event.code === 4401 || event.code === 4403) { status.textContent = status.dataset.denied; return; }
      status.textContent = status.dataset.reconnecting; status.className = "status down";
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 15000);
    };
  }
  connect();
})();
