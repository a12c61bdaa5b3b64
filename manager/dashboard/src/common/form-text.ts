// Form fields as text. A FormData value is a string or a File; our forms have no file inputs,
// so a File (or a missing field) reads as the empty string rather than "[object File]".

export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** Every text field of the form by name. */
export function formTexts(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of form.entries()) if (typeof value === 'string') fields[name] = value;
  return fields;
}
