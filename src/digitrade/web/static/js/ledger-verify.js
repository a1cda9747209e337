// Verifies a ledger entry in the browser, trusting nothing but the log's public key:
// SHA-256 leaf hash, the checkpoint's Ed25519 signature (C2SP signed note), and the RFC 9162
// inclusion proof (section 2.1.3.2) from the entry to the signed root.
(function () {
  "use strict";
  var encoder = new TextEncoder();

  function fromBase64(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }
  function concat(parts) {
    var length = parts.reduce(function (n, p) { return n + p.length; }, 0);
    var out = new Uint8Array(length), offset = 0;
    parts.forEach(function (p) { out.set(p, offset); offset += p.length; });
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }
  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  async function sha256(bytes) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  }
  async function nodeHash(left, right) {
    return sha256(concat([new Uint8Array([1]), left, right]));
  }

  // RFC 9162 section 2.1.3.2.
  async function rootFromInclusionProof(leafHash, index, size, proof) {
    if (index >= size) { throw new Error("index is outside the tree"); }
    var fn = index, sn = size - 1, r = leafHash;
    for (var i = 0; i < proof.length; i++) {
      if (sn === 0) { throw new Error("proof is too long"); }
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(proof[i], r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, proof[i]);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0) { throw new Error("proof is too short"); }
    return r;
  }

  // C2SP signed-note: key "name+hexid+base64(type||key)", signature lines "— name base64(id||sig)".
  async function openCheckpoint(note, verifierKey) {
    // Split on the first two "+" only: the base64 key itself may contain "+".
    var first = verifierKey.indexOf("+"), second = verifierKey.indexOf("+", first + 1);
    var name = verifierKey.slice(0, first), keyId = verifierKey.slice(first + 1, second);
    var keyBytes = fromBase64(verifierKey.slice(second + 1));
    if (keyBytes[0] !== 1) { throw new Error("not an Ed25519 log key"); }
    var split = note.lastIndexOf("\n\n");
    var text = note.slice(0, split + 1);
    var lines = note.slice(split + 2).split("\n").filter(Boolean);
    var signature = null;
    lines.forEach(function (line) {
      var fields = line.replace(/^\u2014 /, "").split(" ");
      var raw = fromBase64(fields[1]);
      if (fields[0] === name && hex(raw.slice(0, 4)) === keyId) { signature = raw.slice(4); }
    });
    if (!signature) { throw new Error("no signature by " + name); }
    var key = await crypto.subtle.importKey("raw", keyBytes.slice(1), { name: "Ed25519" }, false, ["verify"]);
    var valid = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, encoder.encode(text));
    if (!valid) { throw new Error("the log's signature does not verify"); }
    var body = text.split("\n");
    if (body[0] !== name) { throw new Error("checkpoint of another log"); }
    return { origin: body[0], size: parseInt(body[1], 10), root: fromBase64(body[2]) };
  }

  function report(list, passed, label, detail) {
    var item = document.createElement("li");
    item.className = passed ? "check ok" : "check failed";
    item.dataset.passed = passed ? "true" : "false";
    item.textContent = (passed ? "\u2714 " : "\u2718 ") + label + (detail ? ": " + detail : "");
    list.appendChild(item);
  }

  async function verify(panel) {
    var list = panel.querySelector("[data-results]");
    var verdict = panel.querySelector("[data-verdict]");
    list.innerHTML = "";
    verdict.textContent = "";
    var base = panel.dataset.api;
    var index = parseInt(panel.dataset.index, 10);
    var ok = true;
    try {
      var leaf = fromBase64(panel.dataset.leaf);
      var leafHash = await sha256(concat([new Uint8Array([0]), leaf]));
      report(list, true, panel.dataset.labelLeaf, hex(leafHash));
      var note = await (await fetch(base + "/checkpoint")).text();
      var checkpoint = await openCheckpoint(note, panel.dataset.key);
      report(list, true, panel.dataset.labelSignature, checkpoint.origin + " @ " + checkpoint.size);
      if (checkpoint.size <= index) { throw new Error(panel.dataset.labelNotYet); }
      var response = await fetch(base + "/proofs/inclusion?index=" + index + "&tree_size=" + checkpoint.size);
      var proof = await response.json();
      var root = await rootFromInclusionProof(leafHash, index, checkpoint.size, proof.hashes.map(fromBase64));
      var included = equal(root, checkpoint.root);
      report(list, included, panel.dataset.labelInclusion, included ? "" : hex(root));
      ok = included;
    } catch (error) {
      ok = false;
      report(list, false, panel.dataset.labelError, error.message);
    }
    verdict.textContent = ok ? panel.dataset.labelVerified : panel.dataset.labelNotVerified;
    verdict.className = ok ? "verdict ok" : "verdict failed";
    panel.dataset.result = ok ? "verified" : "failed";
  }

  document.querySelectorAll("[data-verify-panel]").forEach(function (panel) {
    panel.querySelector("button").addEventListener("click", function () { verify(panel); });
  });
})();
