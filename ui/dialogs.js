// Modal dialogs: one way to open one and learn how it was closed.

/**
 * Opens `dialog` (unless it is open already) and resolves to the value of the button that
 * closed it. Escape, the close button or any other way out resolves to 'cancel': the value of
 * an earlier OK is cleared first, so a cancel never repeats it.
 */
export async function ask(dialog) {
  dialog.returnValue = '';
  if (!dialog.open) dialog.showModal();
  const value = await new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true }));
  return value || 'cancel';
}
