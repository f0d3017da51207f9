/**
 * The day an absence note form starts on (pure): today on a weekday, else the Monday after. A
 * family writing on a weekend is most often writing about the coming school day, and the server
 * refuses a note with no school day in it (`not_school_day`). The device does not hold the
 * school's calendar, so a holiday on a weekday stays today: the family picks the day it means.
 */
export function noteDefaultDay(today: string): string {
  const date = new Date(`${today}T00:00:00Z`);
  const weekday = date.getUTCDay();
  if (weekday === 6) date.setUTCDate(date.getUTCDate() + 2);
  else if (weekday === 0) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
