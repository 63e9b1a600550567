/* Quiz time limit: shows the time left and tells screen readers politely at a few points
   (10, 5, 2 and 1 minutes, 30 seconds). When the time is up the current page is saved and the
   attempt submitted; the server enforces the limit in any case. */
(function () {
    "use strict";
    var box = document.getElementById("quiz-timer");
    if (!box) { return; }
    var clock = document.getElementById("timer-clock");
    var live = document.getElementById("timer-announce");
    var form = document.getElementById("quiz-form");
    var ends = Date.now() + parseInt(box.dataset.secondsLeft, 10) * 1000;
    var announceAt = [600, 300, 120, 60, 30];
    var done = false;

    function text(name, count) {
        return box.dataset[name].replace("{count}", String(count));
    }

    function pad(n) { return n < 10 ? "0" + n : String(n); }

    function tick() {
        var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
        var hours = Math.floor(left / 3600), minutes = Math.floor((left % 3600) / 60);
        clock.textContent = (hours ? hours + ":" + pad(minutes) : minutes) + ":" + pad(left % 60);
        while (announceAt.length && left <= announceAt[0]) {
            var at = announceAt.shift();
            if (left > 0 && at - left < 15) {
                live.textContent = at >= 120 ? text("textMinutes", at / 60)
                    : at === 60 ? text("textMinute", 1) : text("textSeconds", at);
            }
        }
        if (left === 0 && !done) {
            done = true;
            live.textContent = box.dataset.textOver;
            var action = document.getElementById("timeout-action");
            if (form && action) {
                action.value = "timeout";
                action.disabled = false;
                form.submit();
            } else if (form) {
                form.submit();
            }
            return;
        }
        window.setTimeout(tick, 1000);
    }
    tick();
}());
