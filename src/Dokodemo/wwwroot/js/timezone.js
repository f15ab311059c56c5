// The clock page sends the browser's IANA time zone with each clock action, so a person abroad is recorded in the
// zone they are in. Without this script the server uses the person's own time zone setting.
for (const input of document.querySelectorAll("input[data-timezone]")) {
  try {
    input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    input.value = "";
  }
}
