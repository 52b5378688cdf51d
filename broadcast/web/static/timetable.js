// The build page: while a build runs, ask its state every few seconds and reload once it is done.
"use strict";
(() => {
  const card = document.querySelector(".build-run[data-status]");
  if (!card || card.getAttribute("data-state") !== "running") return;
  const poll = () => {
    fetch(card.getAttribute("data-status"), { credentials: "same-origin" })
      .then((response) => response.json())
      .then((status) => {
        if (status.state === "running") window.setTimeout(poll, 3000);
        else window.location.reload();
      })
      .catch(() => window.setTimeout(poll, 10000));
  };
  window.setTimeout(poll, 3000);
})();
