// Replicate's own JavaScript client against infra/run-local's Replicate-compatible server, unchanged.
// Run by infra/replicate-js/check (which starts the local stack); BASE is the server's /v1 URL.
import Replicate, { validateWebhook } from "replicate";
import http from "node:http";
import assert from "node:assert/strict";
const baseUrl = process.env.BASE;
const replicate = new Replicate({ auth: "r8_local_development_token", baseUrl });
const secret = "whsec_cmVwbGljYXRlLWNvbXBhdGlibGUtbG9jYWwtc2VjcmV0";
// a local webhook receiver that checks signatures with Replicate's own validator
let verified = 0;
const server = http.createServer(async (req, res) => {
  let body = ""; for await (const chunk of req) body += chunk;
  const ok = await validateWebhook({ id: req.headers["webhook-id"], timestamp: req.headers["webhook-timestamp"],
    signature: req.headers["webhook-signature"], body, secret });
  if (ok) verified++;
  res.writeHead(ok ? 200 : 401).end();
});
await new Promise(r => server.listen(0, "127.0.0.1", r));
const hook = `http://127.0.0.1:${server.address().port}/hook`;

const byModel = await replicate.predictions.create({ model: "black-forest-labs/flux-schnell",
  input: { prompt: "a fox", width: 64, height: 64 }, webhook: hook, webhook_events_filter: ["completed"] });
console.log("create by model:", byModel.status, byModel.id);
const done = await replicate.wait(byModel, { interval: 100 });
assert.equal(done.status, "succeeded");
assert.ok(Array.isArray(done.output) && done.output.length === 1);
console.log("wait:", done.status, Array.isArray(done.output) ? done.output.length + " output(s)" : done.output);
const byVersion = await replicate.predictions.create({ version: "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa",
  input: { prompt: "an owl", width: 64, height: 64 } });
console.log("create by version:", byVersion.status, (await replicate.predictions.get(byVersion.id)).id === byVersion.id ? "get ok" : "get FAILED");
const canceled = await replicate.predictions.cancel((await replicate.predictions.create({ model: "wan-video/wan-2.2-t2v-fast", input: { prompt: "waves" } })).id);
assert.equal(canceled.status, "canceled");
console.log("cancel:", canceled.status);
const output = await replicate.run("meta/meta-llama-3-8b-instruct", { input: { prompt: "a castle", max_tokens: 12 } });
assert.ok(Array.isArray(output) && output.join("").includes("castle"));
console.log("run (Prefer: wait):", Array.isArray(output) ? JSON.stringify(output.join("")) : output);
const page = await replicate.predictions.list();
console.log("list:", page.results.length, "predictions, newest first:", page.results[0].created_at >= page.results.at(-1).created_at);
await new Promise(r => setTimeout(r, 1500));
assert.ok(verified >= 1, "a webhook passed validateWebhook");
assert.equal((await replicate.predictions.get(byVersion.id)).id, byVersion.id);
assert.ok(page.results.length >= 4);
console.log("webhooks verified by validateWebhook:", verified);
console.log("Replicate client check: passed");
server.close();
