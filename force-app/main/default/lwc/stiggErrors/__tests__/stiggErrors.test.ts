import { errorMessage, RELOAD_AND_RETRY } from "c/stiggErrors";

describe("errorMessage", () => {
  it("reads the message of an Apex error", () => {
    expect(errorMessage({ body: { message: "Stigg could not be reached." } })).toBe("Stigg could not be reached.");
  });

  it("joins the messages of a list of errors, as a wire adapter reports them", () => {
    expect(errorMessage({ body: [{ message: "First." }, { message: "Second." }] })).toBe("First., Second.");
  });

  it("reads a JavaScript error", () => {
    expect(errorMessage(new TypeError("x is undefined"))).toBe("x is undefined");
  });

  it("says to reload when the error carries no message, unless the caller says otherwise", () => {
    expect(errorMessage(undefined)).toBe(RELOAD_AND_RETRY);
    expect(errorMessage({ body: {} }, "Refresh the card.")).toBe("Refresh the card.");
  });
});
