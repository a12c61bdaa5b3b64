// A labelled text <input> of a form's `filters` row, read back with `formText(form, name)`.
import type { HTMLAttributes } from 'react';

export function TextField(props: {
  id: string;
  name: string;
  label: string;
  maxLength: number;
  type?: 'text' | 'password';
  inputMode?: HTMLAttributes<HTMLInputElement>['inputMode'];
  defaultValue?: string;
  testId?: string;
}) {
  const { id, name, label, maxLength, type, inputMode, defaultValue, testId } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        inputMode={inputMode}
        defaultValue={defaultValue}
        maxLength={maxLength}
        autoComplete="off"
        data-testid={testId}
      />
    </div>
  );
}
