/**
 * The value a promise rejects with. Errors thrown by native drivers are created outside Jest's
 * sandbox, so `instanceof Error` and `toThrow` do not recognise them: compare code and message.
 */
export const rejection = async (p: Promise<unknown>): Promise<{ code?: string; message: string; name?: string; details?: any }> => {
  try {
    await p;
  } catch (e) {
    const err = (e ?? {}) as { code?: string; message?: string; name?: string; details?: unknown };
    return { code: err.code, message: String(err.message ?? e), name: err.name, details: err.details };
  }
  throw new Error('expected the promise to reject, but it resolved');
};
