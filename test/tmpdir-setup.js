// Every test run gets its own temporary folder (TMPDIR, which os.tmpdir(), Python and Terraform
// all honour), deleted when the run ends: the suite leaves nothing behind in the system's /tmp,
// whatever a test forgets to clean.
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaleout-jest-'));
  process.env.SCALEOUT_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};
