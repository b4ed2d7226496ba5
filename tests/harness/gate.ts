// A promise a test settles by hand: to hold a request, a read or an answer until the moment the
// test chooses, and to know whether anything waited on it.
export interface Gate {
  promise: Promise<void>;
  open: () => void;
  cut: (reason: Error) => void;
  used: boolean;
}

export function gate(): Gate {
  let open!: () => void;
  let cut!: (reason: Error) => void;
  const promise = new Promise<void>((resolve, reject) => ((open = resolve), (cut = reject)));
  // A gate cut with nobody waiting is not an unhandled rejection.
  promise.catch(() => {});
  return { promise, open, cut, used: false };
}
