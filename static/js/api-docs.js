// Swagger UI over the API's OpenAPI schema, started from this file rather than an inline script,
// so the page keeps the site's Content-Security-Policy (scripts only from our own static files).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  root.textContent = "";
  window.SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The public validator badge would send our schema to a third party.
    validatorUrl: null,
    // The API is read-only and public: "Try it out" sends plain GET requests to this site.
    supportedSubmitMethods: ["get", "head"],
    defaultModelsExpandDepth: 0,
  });
})();
