#!/usr/bin/env node
/** `zadarma-sim` — runs the simulator from the command line and prints what it serves. */
import { parseCliArgs, USAGE } from './cli/args.js';
import { createSimulator } from './simulator.js';
import { defaultState } from './state.js';

async function main(): Promise<void> {
  const command = parseCliArgs(process.argv.slice(2), process.env);
  if (command.kind === 'help') {
    console.log(USAGE);
    return;
  }
  if (command.kind === 'print-state') {
    console.log(JSON.stringify(defaultState(), null, 2));
    return;
  }
  if (command.kind === 'error') {
    console.error(`zadarma-sim: ${command.problems.join('\n  ')}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const sim = await createSimulator(command.options);
  const s = sim.state;
  const lines = [
    `zadarma-sim listening on ${sim.url}`,
    `  REST API      ${sim.url}/v1/…   key ${command.options.key}  (rate limits ${command.options.rateLimits === false ? 'off' : 'on'})`,
    `  control API   ${sim.url}/_sim/…`,
    `  state         ${command.stateFile ?? 'default account'} · timezone ${s.account.timezone} · balance ${s.account.balance} ${s.account.currency}`,
    `  numbers       ${s.numbers.map((n) => `${n.number} → ${n.route.type === 'group' ? `ring ${n.route.extensions.join(',')}` : `menu ${n.route.menuId}`}`).join(' · ')}`,
    `  extensions    ${s.extensions.map((e) => `${e.number}${e.online ? '' : ' (offline)'}`).join(', ')}`,
    `  webhooks      ${s.webhooks.callinfoUrl || '(none: set one with --webhook-url or POST /v1/pbx/callinfo/url/)'} · ${command.options.format ?? 'urlencoded'} · speed ${command.options.speed ?? 1}×`,
    `  try           curl -s -X POST ${sim.url}/_sim/calls/inbound -d '{"from":"+33612345678","to":"${s.numbers[0]?.number ?? ''}","answer":"101","talkSeconds":30}'`,
  ];
  console.log(lines.join('\n'));
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`zadarma-sim: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
