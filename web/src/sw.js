// The pages' service worker: shows a verified notice pushed to this browser (Web Push; the message
// was encrypted for this browser and is opened by it before this runs), and opens the notice's page
// when the notification is chosen. It caches nothing and handles no requests.
"use strict";
self.addEventListener("push", (event) => {
  let m = {};
  try {
    m = event.data ? event.data.json() : {};
  } catch (e) {
    m = { body: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(m.title || "niềm tin số", {
      body: m.body || "",
      tag: m.tag,
      lang: "vi",
      data: { url: m.url },
      requireInteraction: m.severity === "extreme",
    }),
  );
});
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url;
  // Only a page of this site, by its path: a notice's page.
  const path = url ? new URL(url).pathname : "/notices";
  if (/^\/notices(\/[\w-]+)?$/.test(path)) event.waitUntil(self.clients.openWindow(path));
});
