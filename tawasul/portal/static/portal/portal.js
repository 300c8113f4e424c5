// Resident portal: progressive enhancement only; every form works without JavaScript.
(function () {
  document.documentElement.classList.add("js");

  // After a failed submit the page comes back with an error summary: focus goes there (not to
  // the top of the page), and each of its links puts focus in the field it names.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (e) {
      var link = e.target.closest && e.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      e.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
  }

  var button = document.getElementById("use-my-location");
  if (!button || !("geolocation" in navigator)) return;
  var status = document.getElementById("location-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
      status.textContent = "";
    }, function () {
      status.textContent = button.dataset.failed;
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
