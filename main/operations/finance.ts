// Filled in by its operation group.
export const financeOperations = {};
