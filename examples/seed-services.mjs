// The seed document's three services from @switchyard/sdk, against the mock vendors.
//
//   pnpm mocks                                        # one terminal: mock OpenAI, LM Studio, …
//   node --import tsx examples/seed-services.mjs      # another (or the built package, without tsx)
//
// The services are made on first use, so variables set before that are the ones they read. The
// defaults below point at `pnpm mocks` (MOCK_BASE_PORT moves them, as it moves the mocks).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloudConfigService, cloudInferenceService, inferenceService } from '@switchyard/sdk';

const base = Number(process.env.MOCK_BASE_PORT ?? 4010);
process.env.REACT_APP_LM_STUDIO_URL ??= `http://127.0.0.1:${base + 3}`;
process.env.SWITCHYARD_CONFIG_FILE ??= join(tmpdir(), 'switchyard-seed-example.json');

// Provider Management: added once, kept in the config file for the next run.
if (!cloudConfigService.getProvider('my-openai')) {
  await cloudConfigService.addProvider({
    id: 'my-openai',
    name: 'My OpenAI',
    type: 'openai',
    endpoint: `http://127.0.0.1:${base}`,
    apiKey: 'mock-openai-key',
    priority: 1,
    enabled: true,
    models: [{ name: 'mock-model' }],
  });
}
console.log(
  'providers:',
  cloudConfigService.getConfig().providers.map((provider) => provider.id),
);

// Basic Usage: a request with no model goes to LM Studio first, then to the cloud when asked.
const local = await inferenceService.chatCompletion({
  messages: [{ role: 'user', content: 'Hello, how are you?' }],
  max_tokens: 100,
});
console.log(`${local.provider}: ${local.choices[0]?.message.content}`);
inferenceService.switchProvider('cloud');
const cloud = await inferenceService.chatCompletion({
  messages: [{ role: 'user', content: 'Hello from the cloud' }],
});
console.log(`${cloud.provider}: ${cloud.choices[0]?.message.content}`);

// Health Monitoring: the grouped object and the cloud providers' array.
const provider = cloudConfigService.getProvider('my-openai');
if (provider) console.log('test:', await cloudInferenceService.testProvider(provider));
console.log('health:', await inferenceService.getHealthStatus());
console.log('cloud health:', cloudInferenceService.getHealthStatus());

await inferenceService.close();
