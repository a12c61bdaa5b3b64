// Ten recovery codes shown once, after the user's first second factor (an app or a
// security key) or new ones; the page moves on only when the user says they are saved.
interface RecoveryCodesNoticeProps {
  codes: string[];
  /** What the codes stand in for, e.g. "your phone". */
  lost: string;
  onSaved: () => void;
}

export function RecoveryCodesNotice({ codes, lost, onSaved }: RecoveryCodesNoticeProps) {
  return (
    <>
      <p>
        Your recovery codes. Keep them somewhere safe: each signs you in once if you lose {lost}. They are shown only
        now.
      </p>
      <ul className="recovery-codes" data-testid="mfa-recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" className="primary" onClick={onSaved} data-testid="mfa-codes-saved">
        I have saved these codes
      </button>
    </>
  );
}
