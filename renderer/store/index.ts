import { createStore, type Mutate, type StoreApi } from 'zustand/vanilla';
import { subscribeWithSelector } from 'zustand/middleware';
import { createExceptionsSlice, type ExceptionsSlice } from './exceptions-slice';
import { createStatusSlice, type StatusSlice } from './status-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type ConsoleState = StatusSlice & ExceptionsSlice & UiSlice;

export type ConsoleStore = Mutate<StoreApi<ConsoleState>, [['zustand/subscribeWithSelector', never]]>;

/** One store per console (and per test), built from slices; React reads it through useConsole. */
export function createConsoleStore(): ConsoleStore {
  return createStore<ConsoleState>()(
    subscribeWithSelector((...a) => ({
      ...createStatusSlice(...a),
      ...createExceptionsSlice(...a),
      ...createUiSlice(...a),
    })),
  );
}
