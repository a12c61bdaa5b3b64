// A labelled <select> of a form's `filters` row: the values in order, each shown by its
// label (the value itself when none is given), optionally led by an "any" choice.

export function ChoiceField<V extends string>(props: {
  id: string;
  name: string;
  label: string;
  values: readonly V[];
  labels?: Partial<Record<V, string>>;
  defaultValue?: string;
  /** Text of a leading empty choice ('' = no filter). */
  anyLabel?: string;
  testId?: string;
}) {
  const { id, name, label, values, labels, defaultValue, anyLabel, testId } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue} data-testid={testId}>
        {anyLabel === undefined ? null : <option value="">{anyLabel}</option>}
        {values.map((value) => (
          <option key={value} value={value}>
            {labels?.[value] ?? value}
          </option>
        ))}
      </select>
    </div>
  );
}
