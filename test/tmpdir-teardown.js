const fs = require('fs');

module.exports = async function teardown() {
  const dir = process.env.SCALEOUT_JEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
