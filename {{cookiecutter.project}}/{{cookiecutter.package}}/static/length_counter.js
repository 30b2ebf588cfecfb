// A live count under every textarea with data-max-length: how much of the maximum is
// used, and a warning past it. It never cuts the text (a maxlength attribute would, on a
// paste, without a word): the server refuses a message that is too long and says why.
// The words come from the page (data-count-text, data-over-text), in the reader's language.
for (const field of document.querySelectorAll("textarea[data-max-length]")) {
  const max = Number(field.dataset.maxLength);
  const counter = document.createElement("div");
  counter.id = `${field.id}-length`;
  counter.className = "form-text length-counter";
  counter.setAttribute("aria-live", "polite");
  field.setAttribute("aria-describedby", counter.id);
  field.after(counter);

  const update = () => {
    // Count characters as the server does (code points): an emoji is one, not two.
    const length = [...field.value].length;
    const over = length > max;
    const numbers = { length, max, over: length - max };
    const words = over ? field.dataset.overText : field.dataset.countText;
    counter.textContent = words.replace(/%\((\w+)\)s/g, (_, name) => numbers[name]);
    counter.classList.toggle("over-limit", over);
  };
  field.addEventListener("input", update);
  update(); // a rejected message comes back with its text
}
