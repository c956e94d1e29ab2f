/* suaraberita episode pages: chapter and transcript links seek the player, and the
   sentence being spoken is marked (aria-current). Without JavaScript the page still
   shows everything and the player works. */
(function () {
  "use strict";
  var audio = document.getElementById("pemutar");
  if (!audio) {
    return;
  }
  var EPSILON = 0.05;
  var cues = Array.prototype.slice.call(document.querySelectorAll("a.cue[data-start]"));
  var chapters = Array.prototype.slice.call(document.querySelectorAll("a.chapter[data-start]"));
  var cueStarts = cues.map(start);
  var chapterStarts = chapters.map(start);
  var current = { cue: null, chapter: null };

  function start(link) {
    return parseFloat(link.getAttribute("data-start")) || 0;
  }

  // The last item starting at or before t (the lists are in time order).
  function lastBefore(starts, t) {
    var low = 0, high = starts.length - 1, found = -1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (starts[mid] <= t + EPSILON) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  function mark(kind, links, starts, t) {
    var index = lastBefore(starts, t);
    var link = index >= 0 ? links[index] : null;
    if (link === current[kind]) {
      return;
    }
    if (current[kind]) {
      current[kind].removeAttribute("aria-current");
    }
    if (link) {
      link.setAttribute("aria-current", "true");
    }
    current[kind] = link;
  }

  function highlight() {
    var t = audio.currentTime;
    mark("cue", cues, cueStarts, t);
    mark("chapter", chapters, chapterStarts, t);
  }

  function seek(t, play) {
    try {
      audio.currentTime = t;
    } catch (e) {
      return;
    }
    highlight();
    if (play) {
      var playing = audio.play();
      if (playing && playing.catch) {
        playing.catch(function () {});
      }
    }
  }

  function fromHash() {
    var match = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
    if (match) {
      seek(parseFloat(match[1]), false);
    }
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return; // let the browser open the link in a new tab or window
    }
    var link = event.target.closest ? event.target.closest("a[data-start]") : null;
    if (!link) {
      return;
    }
    event.preventDefault();
    seek(start(link), true);
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#t=" + link.getAttribute("data-start"));
    }
  });
  ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) {
    audio.addEventListener(name, highlight);
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();

/* The subscribe page: "Salin" copies the feed's address. Where the clipboard cannot be
   written (a page served over plain http, a refused permission), the address is selected
   for the listener to copy. Without JavaScript the button stays hidden; the address is
   in a field of its own, to be selected by hand. */
(function () {
  "use strict";
  var COPIED = "Alamat feed sudah disalin. Tempelkan di aplikasi podcast Anda.";
  var SELECTED = "Alamat feed sudah dipilih: salin dengan Ctrl+C (di ponsel: tekan lama, lalu Salin).";

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!field) {
      return;
    }

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function select() {
      field.focus();
      field.setSelectionRange(0, field.value.length);
    }

    function selectAndCopy() {
      select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (e) {
        copied = false;
      }
      say(copied ? COPIED : SELECTED);
    }

    button.addEventListener("click", function () {
      say("");
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(function () {
          say(COPIED);
        }, selectAndCopy);
      } else {
        selectAndCopy();
      }
    });
    field.addEventListener("click", select);
    button.hidden = false;
  });
})();
