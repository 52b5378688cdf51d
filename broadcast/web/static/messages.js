// The message form: the reading listeners will hear, updated as one types, and a unit search for the targets.
"use strict";
(() => {
  const form = document.querySelector(".message-form");
  if (!form) return;
  const csrf = form.querySelector("input[name=csrf]").value;
  const text = document.getElementById("message-text");
  const reading = document.getElementById("message-reading");
  const duration = document.getElementById("message-duration");
  let timer = null;
  text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const body = new FormData();
      body.append("csrf", csrf);
      body.append("text", text.value);
      const response = await fetch("/messages/reading", { method: "POST", body, credentials: "same-origin" });
      if (!response.ok) return;
      const data = await response.json();
      reading.textContent = data.reading;
      duration.textContent = data.shown;
    }, 400);
  });

  const search = document.getElementById("unit-search");
  const results = document.getElementById("unit-results");
  const targets = document.getElementById("message-targets");
  const kinds = { province: "Tỉnh", district: "Huyện", commune: "Xã", station: "Đài" };
  let searchTimer = null;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => {
      results.replaceChildren();
      if (search.value.trim().length < 2) return;
      const response = await fetch("/units/search?q=" + encodeURIComponent(search.value), { credentials: "same-origin" });
      if (!response.ok) return;
      for (const place of await response.json()) {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "link";
        button.textContent = `${place.name} (${kinds[place.kind] || place.kind}, ${place.ref})` + (place.parent ? ` — ${place.parent}` : "");
        button.addEventListener("click", () => {
          const refs = targets.value.split(/[\s,]+/).filter(Boolean);
          if (!refs.includes(place.ref)) refs.push(place.ref);
          targets.value = refs.join(" ");
        });
        item.append(button);
        results.append(item);
      }
    }, 250);
  });
})();
