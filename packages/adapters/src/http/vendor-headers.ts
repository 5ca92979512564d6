// Extra headers every vendor's settings may carry (`config.headers`), sent with each request.
import { z } from 'zod';

export const vendorHeadersSchema = z.record(z.string(), z.string()).optional();
