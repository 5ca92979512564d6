// Ready-to-paste client code for a new (or rotated) key: the gateway's address and the key filled
// in, for curl and the SDKs apps use against an OpenAI- or Anthropic-compatible endpoint.

export interface KeySnippet {
  id: 'curl' | 'openai-js' | 'openai-python' | 'vercel-ai' | 'anthropic';
  label: string;
  code: string;
}

/** `origin` is the gateway's address without a path, e.g. `https://gateway.example.com`. */
export function keySnippets(options: { origin: string; key: string; model: string }): KeySnippet[] {
  const origin = options.origin.replace(/\/+$/, '');
  const base = JSON.stringify(`${origin}/v1`);
  const key = JSON.stringify(options.key);
  const model = JSON.stringify(options.model);
  const body = JSON.stringify({
    model: options.model,
    messages: [{ role: 'user', content: 'Hello' }],
  });
  return [
    {
      id: 'curl',
      label: 'curl',
      code: [
        `curl ${origin}/v1/chat/completions \\`,
        `  -H ${shellQuote(`Authorization: Bearer ${options.key}`)} \\`,
        `  -H 'Content-Type: application/json' \\`,
        `  -d ${shellQuote(body)}`,
      ].join('\n'),
    },
    {
      id: 'openai-js',
      label: 'OpenAI SDK (JavaScript)',
      code: [
        `import OpenAI from 'openai';`,
        ``,
        `const client = new OpenAI({ baseURL: ${base}, apiKey: ${key} });`,
        `const completion = await client.chat.completions.create({`,
        `  model: ${model},`,
        `  messages: [{ role: 'user', content: 'Hello' }],`,
        `});`,
        `console.log(completion.choices[0]?.message.content);`,
      ].join('\n'),
    },
    {
      id: 'openai-python',
      label: 'OpenAI SDK (Python)',
      code: [
        `from openai import OpenAI`,
        ``,
        `client = OpenAI(base_url=${base}, api_key=${key})`,
        `completion = client.chat.completions.create(`,
        `    model=${model},`,
        `    messages=[{"role": "user", "content": "Hello"}],`,
        `)`,
        `print(completion.choices[0].message.content)`,
      ].join('\n'),
    },
    {
      id: 'vercel-ai',
      label: 'Vercel AI SDK',
      code: [
        `import { createOpenAI } from '@ai-sdk/openai';`,
        `import { generateText } from 'ai';`,
        ``,
        `const switchyard = createOpenAI({ baseURL: ${base}, apiKey: ${key} });`,
        `const { text } = await generateText({`,
        `  model: switchyard.chat(${model}),`,
        `  prompt: 'Hello',`,
        `});`,
        `console.log(text);`,
      ].join('\n'),
    },
    {
      id: 'anthropic',
      label: 'Anthropic SDK',
      code: [
        `import Anthropic from '@anthropic-ai/sdk';`,
        ``,
        `// The SDK adds /v1/messages to the base URL and sends the key as x-api-key.`,
        `const client = new Anthropic({ baseURL: ${JSON.stringify(origin)}, apiKey: ${key} });`,
        `const message = await client.messages.create({`,
        `  model: ${model},`,
        `  max_tokens: 1024,`,
        `  messages: [{ role: 'user', content: 'Hello' }],`,
        `});`,
        `console.log(message.content);`,
      ].join('\n'),
    },
  ];
}

/** One POSIX shell word: single quotes, with any single quote closed, escaped and reopened. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
