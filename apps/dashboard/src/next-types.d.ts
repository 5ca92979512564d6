// Next.js ambient types (what the generated next-env.d.ts provides, without its references to
// build output, so that type checking works on a fresh clone).
/// <reference types="next" />
/// <reference types="next/image-types/global" />
