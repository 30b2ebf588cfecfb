// Starts Swagger UI on /api/v1/docs (templates/api/docs.html). A file, not an inline
// script: the Content-Security-Policy allows scripts from the site only.
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  SwaggerUIBundle({
    url: root.dataset.documentUrl,
    domNode: root,
    deepLinking: true,
    validatorUrl: null, // no badge fetched from validator.swagger.io
  });
});
