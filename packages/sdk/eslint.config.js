import { baseConfig } from '@switchyard/eslint-config';

export default baseConfig;
