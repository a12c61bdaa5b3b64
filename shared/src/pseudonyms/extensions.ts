// Which file extensions may leave a workstation in clear. An extension is the
// signal (a script, an archive, a DICOM image, a burst of `.locked` files) but
// a free-text one can carry a name (`minutes.jones`), so only well-known ones
// stay readable; any other becomes `.~<6 hex>`, keyed like every pseudonym, so
// that "many files renamed to the same new extension" is still visible.

const KNOWN = new Set(
  [
    // documents and text
    'pdf doc docx docm dot dotx xls xlsx xlsm xlsb xlt ppt pptx pptm odt ods odp rtf txt csv tsv md log xml json yaml yml html htm xhtml msg eml pst ost one vsd vsdx pub xps epub',
    // images, audio, video
    'jpg jpeg png gif bmp tif tiff svg webp heic ico mp3 wav m4a ogg mp4 mov avi mkv wmv webm',
    // clinical formats
    'dcm dicom hl7 ccd ccda cda fhir edf nii ecg scp',
    // archives and images of disks
    'zip 7z rar tar gz tgz bz2 xz zst cab iso img vhd vhdx vmdk dmg',
    // executables, libraries, installers, scripts
    'exe dll sys com scr cpl msi msp msu ocx drv efi so ko dylib app pkg deb rpm appimage bin elf out',
    'ps1 psm1 psd1 bat cmd vbs vbe js jse wsf wsh hta sh bash zsh py pyc pl rb php jar class war lnk url reg inf',
    // keys, certificates, credentials, databases
    'pem crt cer der key p12 pfx kdbx db sqlite sqlite3 mdb accdb sql bak dmp mdmp',
    // temporary and system files
    'tmp temp swp lock lck ini cfg conf config dat etl evtx part crdownload',
    // markers that ransomware families are known to append
    'locked encrypted enc crypt crypted crypto locky wncry wcry cerber zepto odin thor aesir ryk conti lockbit',
  ].flatMap((line) => line.split(' ')),
);

/** The last path component, for either separator. */
function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/**
 * `.pdf` for a known extension, `.~<6 hex>` (from `macOf`) for any other, and
 * '' when there is none (a dot-file such as `.bashrc` has none).
 */
export function keptExtension(path: string, macOf: (extension: string) => string): string {
  const name = baseName(path.trim());
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  const extension = name.slice(dot + 1).toLowerCase();
  return KNOWN.has(extension) ? `.${extension}` : `.~${macOf(extension)}`;
}

export function isKnownExtension(extension: string): boolean {
  return KNOWN.has(extension.replace(/^\./, '').toLowerCase());
}
