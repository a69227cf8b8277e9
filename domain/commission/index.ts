/** The commission engine and ledger model: pure functions over plain inputs. */
export * from './lines';
export * from './plan';
export * from './engine';
export * from './ledger';
export * from './period';
export * from './vouchers';
