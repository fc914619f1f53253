// Awaits a promise expected to reject with a ServebenchError and returns that error.
import { isServebenchError, type ServebenchError } from '../../collector/errors.ts';

export async function failure(promise: Promise<unknown>): Promise<ServebenchError> {
  try {
    await promise;
  } catch (error) {
    if (isServebenchError(error)) return error;
    throw error;
  }
  throw new Error('expected a ServebenchError, but the promise resolved');
}
