#!/usr/bin/env node
// npm links a package's bin when it installs, before `prepare` has built dist/; this file exists by then.
import '../dist/cli.js';
