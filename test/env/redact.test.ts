import { describe, expect, it } from "vitest";
import { Redactor, redactUrl } from "../../generator/redact.js";

describe("Redactor", () => {
  it("masks URL userinfo and the secrets registered with it, not with another instance", () => {
    const r = new Redactor();
    r.register("pw-only-here");
    r.register("ab");
    expect(r.redact("https://u:x@h.example/ said pw-only-here, ab")).toBe("https://***@h.example/ said ***, ab");
    expect(new Redactor().redact("said pw-only-here")).toBe("said pw-only-here");
  });

  it("takes the userinfo out of a URL", () => {
    expect(redactUrl("https://u:pw@h.example/x")).toBe("https://***@h.example/x");
  });
});
