// The transport-neutral request entry every transport and client dialect maps onto.
export * from './chat-entry.ts';
