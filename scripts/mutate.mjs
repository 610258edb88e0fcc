// Mutation run: applies small breaks to the core one at a time and checks that the native tests catch each.
//
// Each mutation replaces one exact snippet of a source file (it must occur exactly once,
// so the list fails loudly when the code it names moves). The sources are never written:
// the mutated text is compiled to a private object with the file's own command from
// build/native/compile_commands.json, that object replaces the file's member in a copy of
// the core library, and core_tests is linked again from CMake's own link line into
// build/mutate/. That binary must fail (or crash); a mutation the tests let through is a
// survivor. One compile and one link per mutation, and src/ and build/native stay as they
// are, so the run may go on beside anything that reads or builds them. Before the
// mutations, the unmutated text of one file goes through the same steps and its tests must
// pass: a broken pipeline would otherwise count every mutation as killed.
// Prints "mutation run: N killed, M survived"; exits non-zero on a survivor or a mutation
// that no longer applies or builds.
//
// Usage: node scripts/mutate.mjs [text]   (after the native build; about two minutes of one
// core). With `text`, only the mutations whose name contains it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const native = join(root, 'build/native');
const work = join(root, 'build/mutate');

// What each guards is in `name`; `from` is replaced by `to` in `file`.
const MUTATIONS = [
  {
    name: 'a kept own write is ignored when judging overridden (an acknowledged, covered edit never shows it lost)',
    file: 'src/edits/EditQueue.cpp',
    from: '    if (kept != lead.remembered.end()) mine = kept->second;\n',
    to: '\n',
  },
  {
    name: 'an edit leaving the queue forgets its field writes',
    file: 'src/edits/EditQueue.cpp',
    from: 'if (kept == lead.remembered.end() || kept->second.stamp < stamp) lead.remembered[field] = OwnWrite{stamp, value};',
    to: '(void)kept; (void)value;',
  },
  {
    name: 'accept ignores the in_flight guard (an answer syncs a lead that is not in flight)',
    file: 'src/outbox/Outbox.cpp',
    from: 'transitionUpdate(LeadEvent::kAccept, ", synced_at = ?2, updated_at = ?2, reject_reason = NULL")',
    to: '"UPDATE leads SET status = \'synced\', synced_at = ?2, updated_at = ?2, reject_reason = NULL WHERE id = ?1"',
  },
  {
    name: 'a failed request puts back leads that are not in flight',
    file: 'src/outbox/Outbox.cpp',
    from: 'transitionUpdate(LeadEvent::kReturn, ", attempts = attempts + ?3, updated_at = ?2")',
    to: '"UPDATE leads SET status = \'pending\', attempts = attempts + ?3, updated_at = ?2 WHERE id = ?1"',
  },
  {
    name: 'the kept counts stay after rows changed',
    file: 'src/outbox/Outbox.cpp',
    from: 'if (counted_ && countedAt_ == changes) return *counted_;',
    to: 'if (counted_) return *counted_;',
  },
  {
    name: 'the kept counts are taken inside a transaction (a rollback leaves them wrong)',
    file: 'src/outbox/Outbox.cpp',
    from: 'if (!db_.inTransaction()) {',
    to: 'if (true) {',
  },
  {
    name: 'crash recovery moves every lead, not only those in flight',
    file: 'src/outbox/Outbox.cpp',
    from: 'transitionUpdate(LeadEvent::kReturn, ", updated_at = ?1", "1")',
    to: '"UPDATE leads SET status = \'pending\', updated_at = ?1"',
  },
  {
    name: 'the transition table lets a person retry an in-flight lead',
    file: 'src/outbox/LeadState.cpp',
    from: '    {LeadEvent::kRetry, LeadState::kRejected},\n',
    to: '    {LeadEvent::kRetry, LeadState::kRejected},\n    {LeadEvent::kRetry, LeadState::kInFlight},\n',
  },
  {
    name: 'the transition table lets a server answer reject a synced lead',
    file: 'src/outbox/LeadState.cpp',
    from: '    {LeadEvent::kReject, LeadState::kInFlight},\n',
    to: '    {LeadEvent::kReject, LeadState::kInFlight},\n    {LeadEvent::kReject, LeadState::kSynced},\n',
  },
  {
    name: 'a negative stored user_version reaches the migration table',
    file: 'src/store/Schema.cpp',
    from: 'if (version < 0 || version > kNewestPlausibleSchemaVersion) {',
    to: 'if (version > kNewestPlausibleSchemaVersion) {',
  },
  {
    name: 'the stored data is not checked at open',
    file: 'src/store/Store.cpp',
    from: 'if (!created && options.checkStoredData) {',
    to: 'if (false) {',
  },
  {
    name: 'a lead row with an empty id passes the open check',
    file: 'src/store/StoredData.cpp',
    from: `"typeof(id) = 'text' AND id <> '' AND status IN`,
    to: `"typeof(id) = 'text' AND status IN`,
  },
  {
    name: 'a negative stored failure count passes the open check',
    file: 'src/store/StoredData.cpp',
    from: 'ELSE CAST(value AS INTEGER) BETWEEN 0 AND 2147483647 END',
    to: 'ELSE CAST(value AS INTEGER) BETWEEN -2147483648 AND 2147483647 END',
  },
  {
    name: 'page groups are opened without checking their shape',
    file: 'src/vfs/GroupedFile.cpp',
    from: '  if (Status s = check(base); !s.isOk()) return s;\n',
    to: '',
  },
  {
    name: 'a corrupt database is reported without the damaged-data prefix',
    file: 'src/store/Database.cpp',
    from: '    return damagedData(message);',
    to: '    return Status(ErrorCode::kStorage, message);',
  },
  {
    name: 'ms() casts without clamping',
    file: 'src/api/StoreApi.cpp',
    from: 'return static_cast<std::int64_t>(std::clamp(t, -kMaxTimeMs, kMaxTimeMs));',
    to: 'return static_cast<std::int64_t>(t);',
  },
  {
    name: 'a NaN jitter is cast',
    file: 'src/outbox/RetryPolicy.cpp',
    from: 'random01 == random01 ? std::clamp(random01, 0.0, 1.0) : 1.0',
    to: 'std::clamp(random01, 0.0, 1.0)',
  },
  {
    name: 'bidi controls pass validation',
    file: 'src/lead/LeadValidator.cpp',
    from: ' || utf8::hasBidiControls(f.value)) {',
    to: ') {',
  },
  {
    name: 'U+202E (right-to-left override) is not a bidi control',
    file: 'src/core/Utf8.cpp',
    from: '(cp >= 0x202A && cp <= 0x202E)',
    to: '(cp >= 0x202A && cp <= 0x202D)',
  },
  {
    name: 'text of only zero-width characters counts as filled in',
    file: 'src/lead/LeadValidator.cpp',
    from: '(f.value.empty() || (utf8::isValid(f.value) && utf8::isBlank(f.value)))',
    to: 'f.value.empty()',
  },
  {
    name: 'last-writer-wins ignores the device tie-break (equal clocks: first arrival wins)',
    file: 'src/edits/StaffState.cpp',
    from: '} else if (it->second.stamp < stamp ||',
    to: '} else if (it->second.stamp.clock < stamp.clock ||',
  },
  {
    name: 'a tag remove takes every add the merging side has, not only those it observed (remove-wins)',
    file: 'src/edits/StaffState.cpp',
    from: 'if (seen != e.observed->end()) entry.removed.insert(seen->second.begin(), seen->second.end());',
    to: 'for (const auto& add : entry.adds) entry.removed.insert(add.first);',
  },
  {
    name: 'notes are keyed by device only (a device\'s second note replaces its first)',
    file: 'src/edits/StaffState.cpp',
    from: 'auto [it, inserted] = notes.emplace(e.dot, NoteEntry{e.author, e.clock, *e.note});',
    to: 'auto [it, inserted] = notes.emplace(Dot{e.dot.device, 1}, NoteEntry{e.author, e.clock, *e.note});',
  },
  {
    name: 'the clock-skew bound is not checked',
    file: 'src/edits/MergeEdits.cpp',
    from: 'if (c.maxSkewMs && e.clock.wall > c.now + *c.maxSkewMs) {',
    to: 'if (false) {',
  },
  {
    name: 'receiving a clock ignores its counter when walls are equal',
    file: 'src/edits/Hlc.cpp',
    from: 'return next(wall, std::max(last.counter, remote.counter));',
    to: 'return next(wall, last.counter);',
  },
  {
    name: 'a feed page does not re-derive the staff view of the leads it changes (no rebase)',
    file: 'src/replica/Replica.cpp',
    from: 'if (c.untouched && defaultView && !ownEdits) return Status::ok();',
    to: 'return Status::ok();',
  },
  {
    name: 'a feed page skips the rebase of a lead the server\'s staff state touched',
    file: 'src/replica/Replica.cpp',
    from: 'if (c.untouched && defaultView && !ownEdits) return Status::ok();',
    to: 'if (defaultView && !ownEdits) return Status::ok();',
  },
  {
    name: 'a feed page skips the rebase of a lead this device holds a pending edit of',
    file: 'src/replica/Replica.cpp',
    from: 'if (c.untouched && defaultView && !ownEdits) return Status::ok();',
    to: 'if (c.untouched && defaultView) return Status::ok();',
  },
  {
    name: 'an applied edit leaves the queue before the feed\'s state covers it (the lead flickers back)',
    file: 'src/edits/EditQueue.cpp',
    from: 'if (!o.applied || !lead.server.covers(o.edit)) continue;',
    to: 'if (!o.applied) continue;',
  },
  {
    name: 'a required consent is met by a lead that did not accept the terms',
    file: 'src/lead/LeadValidator.cpp',
    from: '  if (c->required && !terms) return "Please agree to continue.";\n',
    to: '',
  },
  {
    name: 'a field pattern matches when only a prefix of the value does',
    file: 'src/form/Pattern.cpp',
    from: '    if (!any) return false;\n',
    to: '    if (!any) return active[k] != 0;\n',
  },
  {
    name: 'a number field counts its steps from 0, not from its min',
    file: 'src/lead/LeadValidator.cpp',
    from: '(n->micros - (d.min ? d.min->micros : 0)) % d.step->micros',
    to: 'n->micros % d.step->micros',
  },
  {
    name: 'a select without options is a valid definition',
    file: 'src/form/FormDefinition.cpp',
    from: 'if (!options.isArray() || options.size() == 0) return fail(f.name, "a select needs options");',
    to: 'if (!options.isArray()) return fail(f.name, "a select needs options");',
  },
  {
    name: 'erasure after acknowledgement leaves the personal custom values',
    file: 'src/outbox/Outbox.cpp',
    from: 'message = NULL, custom = custom_kept "',
    to: 'message = NULL "',
  },
  {
    name: 'the upload payload leaves out the form, custom values, consent and attribution',
    file: 'src/outbox/Outbox.cpp',
    from: '      if (Status f = addFormParts(st, lead); !f.isOk()) return f;\n',
    to: '',
  },
];

function run(cmd, args, options = {}) {
  return spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], timeout: 5 * 60 * 1000, encoding: 'utf8', ...options });
}

// CMake's commands are shell command lines (compile_commands.json escapes the SQLite
// version's quotes); they run through sh with only paths swapped in. A path this run puts
// in a command must need no quoting.
function plainPath(path) {
  if (!/^[\w./+-]+$/.test(path)) throw new Error(`${path} would need shell quoting; move the checkout to a plain path`);
  return path;
}

// How build/native compiles each core file and links core_tests, from CMake's own files.
function nativeRecipe() {
  const commandsPath = join(native, 'compile_commands.json');
  const linkPath = join(native, 'CMakeFiles/core_tests.dir/link.txt');
  if (!existsSync(commandsPath) || !existsSync(linkPath)) {
    throw new Error('build/native has no compile_commands.json or core_tests link line: run scripts/build.sh first');
  }
  const compile = new Map();
  for (const entry of JSON.parse(readFileSync(commandsPath, 'utf8'))) {
    compile.set(resolve(entry.directory, entry.file), { directory: entry.directory, command: entry.command });
  }
  const link = readFileSync(linkPath, 'utf8').trim().split(/\s+/);
  const output = link.indexOf('-o');
  const library = link.indexOf('liblead_outbox_core.a');
  if (output < 0 || link[output + 1] !== 'core_tests' || library < 0 || link.lastIndexOf('liblead_outbox_core.a') !== library) {
    throw new Error(`the core_tests link line is not the shape this run rewrites: ${link.join(' ')}`);
  }
  link[output + 1] = plainPath(join(work, 'core_tests'));
  link[library] = plainPath(join(work, 'liblead_outbox_core.a'));
  const ar = /^CMAKE_AR:FILEPATH=(.*)$/m.exec(readFileSync(join(native, 'CMakeCache.txt'), 'utf8'))?.[1] || 'ar';
  return { compile, link: link.join(' '), ar: plainPath(ar) };
}

// Builds build/mutate/core_tests with `file` (under src/) compiled from `text` instead of
// what it holds. Returns the failing step's output, or null once the binary is linked.
function buildWith(recipe, file, text) {
  const source = join(root, file);
  const step = recipe.compile.get(source);
  if (!step) return `${file} is not compiled into build/native's core (compile_commands.json)`;
  // "… -o OBJECT -c SOURCE", as CMake writes every compile of this tree.
  const shape = / -o (\S+) -c (\S+)$/.exec(step.command);
  if (!shape || resolve(step.directory, shape[2]) !== source) return `the compile command of ${file} does not end in -o OBJECT -c ${file}`;
  // The archive's member is named after the object's file name, so the private object keeps it.
  const object = plainPath(join(work, basename(shape[1])));
  const mutated = plainPath(join(work, basename(file)));
  writeFileSync(mutated, text);
  // The file's own folder first for its quoted includes, as if it were compiled where it lives.
  const compile = `${step.command.slice(0, shape.index)} -iquote ${plainPath(dirname(source))} -o ${object} -c ${mutated}`;
  copyFileSync(join(native, 'liblead_outbox_core.a'), join(work, 'liblead_outbox_core.a'));
  rmSync(join(work, 'core_tests'), { force: true });
  for (const [command, cwd] of [
    [compile, step.directory],
    [`${recipe.ar} rs liblead_outbox_core.a ${object}`, work],
    [recipe.link, native],
  ]) {
    const r = run('sh', ['-c', command], { cwd });
    if (r.status !== 0) return `${command}\n${r.stdout}${r.stderr}${r.error ?? ''}`;
  }
  return null;
}

// The tests named after a source file (src/edits/EditQueue.cpp: tests/core/edit_queue_test.cpp,
// Catch2's filename tag [#edit_queue_test]) when core_tests has them. They run first: most
// mutations fail there within a second, and the rest of the suite runs only if they pass.
const fileTags = new Set((run(join(native, 'core_tests'), ['-#', '--list-tags']).stdout ?? '').match(/\[#\w+\]/g) ?? []);
function ownTests(file) {
  const tag = `[#${basename(file, '.cpp').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}_test]`;
  return fileTags.has(tag) ? tag : null;
}

// True when the private core_tests pass: the file's own tests, then all. -a stops at the first
// failure; a crash is a failure too.
function testsPass(file) {
  const binary = join(work, 'core_tests');
  const own = ownTests(file);
  if (own && run(binary, ['-a', '-#', own]).status !== 0) return false;
  return run(binary, ['-a']).status === 0;
}

const only = process.argv[2];
const selected = only ? MUTATIONS.filter((m) => m.name.includes(only)) : MUTATIONS;
const started = Date.now();
const problems = [];
for (const m of selected) {
  const text = readFileSync(join(root, m.file), 'utf8');
  const count = text.split(m.from).length - 1;
  if (count !== 1) problems.push(`"${m.name}": its snippet occurs ${count} times in ${m.file} (expected once)`);
}
if (problems.length) {
  for (const p of problems) console.error(`mutation does not apply: ${p}`);
  console.log(`mutation run: 0 killed, 0 survived, ${problems.length} not applicable`);
  process.exit(2);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const recipe = nativeRecipe();
// The pipeline itself, on an unmutated file: its tests must pass, or every kill below is false.
const control = selected[0] ?? MUTATIONS[0];
const controlFailure = buildWith(recipe, control.file, readFileSync(join(root, control.file), 'utf8'));
if (controlFailure || !testsPass(control.file)) {
  console.error(`mutation run: core_tests rebuilt with the unmutated ${control.file} ${controlFailure ? `does not build:\n${controlFailure}` : 'fails'}; fix that first`);
  process.exit(2);
}

let killed = 0;
const survivors = [];
const broken = [];
for (const m of selected) {
  const failure = buildWith(recipe, m.file, readFileSync(join(root, m.file), 'utf8').replace(m.from, () => m.to));
  if (failure) {
    broken.push(m.name);
    console.log(`  did not build: ${m.name}\n${failure.split('\n').filter((l) => /error/.test(l)).slice(0, 3).join('\n')}`);
  } else if (testsPass(m.file)) {
    survivors.push(m.name);
    console.log(`  SURVIVED: ${m.name} (${m.file})`);
  } else {
    killed += 1;
    console.log(`  killed: ${m.name}`);
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`(${Math.round((Date.now() - started) / 1000)} s)`);
console.log(`mutation run: ${killed} killed, ${survivors.length + broken.length} survived`);
process.exit(survivors.length || broken.length ? 1 : 0);
