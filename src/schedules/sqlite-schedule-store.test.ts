import { openQueueDatabase } from '../queue/queue-database.js';
import { SqliteQueueStore } from '../queue/sqlite-queue-store.js';
import { runScheduleStoreConformance } from './schedule-store.case.js';
import { SqliteScheduleStore } from './sqlite-schedule-store.js';

runScheduleStoreConformance('SqliteScheduleStore', async () => {
  const db = openQueueDatabase({ path: ':memory:' });
  const queues = new SqliteQueueStore({ database: db });
  return { schedules: new SqliteScheduleStore(db, queues), queues, close: () => queues.close() };
});
