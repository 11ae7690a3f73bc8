// Runs tray messages through an exported connector with the real Falafel, as tray's platform
// would: node falafel_driver.js <connector folder> <events.json> <answers.json>.
// The connector's own index.js is the entry point; NODE_PATH finds @trayio/falafel.
var fs = require('fs');
var path = require('path');

var directory = path.resolve(process.argv[2]);
var events = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
var handler = require(path.join(directory, 'index.js')).handler;

handler(events, {}, function (error, answers) {
  fs.writeFileSync(process.argv[4], JSON.stringify({ error: error || null, answers: answers }));
  process.exit(0);
});
