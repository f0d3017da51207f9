/** What the demo district teaches and charges: course catalog, standards, topics, fees. */

export interface CourseTemplate {
  code: string;
  name: string;
  subject: string;
  /** Topics become assignment names, e.g. "Quiz 3: Ratios". */
  topics: readonly string[];
  credits: number;
}

const topics = {
  english: ['Narrative writing', 'Close reading', 'Argument essay', 'Vocabulary in context', 'Poetry', 'Research skills', 'Grammar and usage', 'Literature circle', 'Speech and debate', 'Novel study'],
  math: ['Ratios and rates', 'Linear equations', 'Functions', 'Systems of equations', 'Exponents', 'Geometry proofs', 'Statistics', 'Quadratics', 'Probability', 'Polynomials'],
  science: ['Lab safety', 'Scientific method', 'Cells', 'Forces and motion', 'Energy', 'Chemical reactions', 'Ecosystems', 'Genetics', 'Earth systems', 'Waves'],
  social: ['Geography', 'Primary sources', 'Civics', 'Ancient civilizations', 'Migration', 'Economics', 'Constitution', 'Industrial revolution', 'Civil rights', 'Current events'],
  pe: ['Fitness log', 'Team sports', 'Nutrition', 'Wellness journal', 'Skills check'],
  art: ['Sketchbook', 'Color theory', 'Portfolio', 'Ceramics', 'Critique'],
  band: ['Scales check', 'Sight reading', 'Concert preparation', 'Practice log', 'Ensemble skills'],
  spanish: ['Vocabulario', 'Conversación', 'Gramática', 'Cultura', 'Lectura'],
  cs: ['Algorithms', 'Loops', 'Functions', 'Data', 'Web project'],
} as const;

const electives: readonly CourseTemplate[] = [
  { code: 'ART', name: 'Art', subject: 'Arts', topics: topics.art, credits: 0.5 },
  { code: 'BAND', name: 'Band', subject: 'Arts', topics: topics.band, credits: 0.5 },
  { code: 'SPAN', name: 'Spanish', subject: 'World Languages', topics: topics.spanish, credits: 0.5 },
  { code: 'CS', name: 'Computer Science', subject: 'Technology', topics: topics.cs, credits: 0.5 },
];

export const ELEMENTARY_SUBJECTS = ['ELA', 'MATH', 'SCI', 'SOC', 'SPEC'] as const;

/** The five blocks of an elementary day; SPEC (art, music, PE) is taught by specialists. */
export function elementaryCourses(grade: number): CourseTemplate[] {
  const g = grade === 0 ? 'K' : String(grade);
  return [
    { code: `ELA-${g}`, name: `Reading and Writing ${g}`, subject: 'English Language Arts', topics: topics.english, credits: 0 },
    { code: `MATH-${g}`, name: `Mathematics ${g}`, subject: 'Mathematics', topics: topics.math, credits: 0 },
    { code: `SCI-${g}`, name: `Science ${g}`, subject: 'Science', topics: topics.science, credits: 0 },
    { code: `SOC-${g}`, name: `Social Studies ${g}`, subject: 'Social Studies', topics: topics.social, credits: 0 },
    { code: `SPEC-${g}`, name: `Art, Music and PE ${g}`, subject: 'Specials', topics: topics.pe, credits: 0 },
  ];
}

const highCore: Record<number, [string, string, string, string]> = {
  9: ['Algebra I', 'Biology', 'World History', 'Health and Physical Education'],
  10: ['Geometry', 'Chemistry', 'U.S. History', 'Physical Education 10'],
  11: ['Algebra II', 'Physics', 'Economics', 'Personal Finance'],
  12: ['Precalculus', 'Environmental Science', 'American Government', 'Psychology'],
};

/** Six periods: English, math, science, social studies, PE/health and an elective chosen by cohort. */
export function secondaryCourses(grade: number, cohort: number): CourseTemplate[] {
  const elective = electives[cohort % electives.length]!;
  const electiveCourse = { ...elective, code: `${elective.code}-${grade}`, name: `${elective.name} ${grade <= 8 ? grade : ''}`.trim() };
  if (grade <= 8) {
    return [
      { code: `ENG-${grade}`, name: `English ${grade}`, subject: 'English Language Arts', topics: topics.english, credits: 1 },
      { code: `MATH-${grade}`, name: `Math ${grade}`, subject: 'Mathematics', topics: topics.math, credits: 1 },
      { code: `SCI-${grade}`, name: `Science ${grade}`, subject: 'Science', topics: topics.science, credits: 1 },
      { code: `SOC-${grade}`, name: `Social Studies ${grade}`, subject: 'Social Studies', topics: topics.social, credits: 1 },
      { code: `PE-${grade}`, name: `Physical Education ${grade}`, subject: 'Physical Education', topics: topics.pe, credits: 0.5 },
      electiveCourse,
    ];
  }
  const [math, science, social, wellness] = highCore[grade]!;
  return [
    { code: `ENG-${grade}`, name: `English ${grade}`, subject: 'English Language Arts', topics: topics.english, credits: 1 },
    { code: `MATH-${grade}`, name: math, subject: 'Mathematics', topics: topics.math, credits: 1 },
    { code: `SCI-${grade}`, name: science, subject: 'Science', topics: topics.science, credits: 1 },
    { code: `SOC-${grade}`, name: social, subject: 'Social Studies', topics: topics.social, credits: 1 },
    { code: `WEL-${grade}`, name: wellness, subject: grade === 9 || grade === 10 ? 'Physical Education' : 'Social Studies', topics: grade <= 10 ? topics.pe : topics.social, credits: 0.5 },
    electiveCourse,
  ];
}

export const elementaryStandards: Record<string, ReadonlyArray<[string, string]>> = {
  ELA: [['RL', 'Reads grade-level text with understanding'], ['W', 'Writes to share ideas and information'], ['SL', 'Listens and speaks in discussions']],
  MATH: [['OA', 'Solves problems with operations'], ['NBT', 'Understands place value'], ['MD', 'Measures and works with data']],
  SCI: [['INQ', 'Asks questions and investigates'], ['LS', 'Understands living things']],
  SOC: [['CIV', 'Understands community and citizenship'], ['GEO', 'Uses maps and places']],
  SPEC: [['ART', 'Creates and responds to art'], ['MUS', 'Performs and responds to music'], ['PE', 'Shows movement skills and teamwork']],
};

export const letterScale: ReadonlyArray<{ mark: string; min: number; points: number; passing: boolean }> = [
  { mark: 'A', min: 93, points: 4.0, passing: true },
  { mark: 'A-', min: 90, points: 3.7, passing: true },
  { mark: 'B+', min: 87, points: 3.3, passing: true },
  { mark: 'B', min: 83, points: 3.0, passing: true },
  { mark: 'B-', min: 80, points: 2.7, passing: true },
  { mark: 'C+', min: 77, points: 2.3, passing: true },
  { mark: 'C', min: 73, points: 2.0, passing: true },
  { mark: 'C-', min: 70, points: 1.7, passing: true },
  { mark: 'D+', min: 67, points: 1.3, passing: true },
  { mark: 'D', min: 60, points: 1.0, passing: true },
  { mark: 'F', min: 0, points: 0, passing: false },
];

export const proficiencyScale: ReadonlyArray<{ mark: string; label: string; min: number; passing: boolean }> = [
  { mark: '4', label: 'Exceeding', min: 90, passing: true },
  { mark: '3', label: 'Meeting', min: 75, passing: true },
  { mark: '2', label: 'Approaching', min: 60, passing: true },
  { mark: '1', label: 'Beginning', min: 0, passing: false },
];

export const attendanceReasons: ReadonlyArray<{ code: string; label: string; excuse: 'excused' | 'unexcused' | 'unknown' }> = [
  { code: 'ILL', label: 'Illness', excuse: 'excused' },
  { code: 'MED', label: 'Medical or dental appointment', excuse: 'excused' },
  { code: 'FAM', label: 'Family emergency', excuse: 'excused' },
  { code: 'REL', label: 'Religious observance', excuse: 'excused' },
  { code: 'BRV', label: 'Bereavement', excuse: 'excused' },
  { code: 'SCH', label: 'School activity', excuse: 'excused' },
  { code: 'UNV', label: 'Not verified by a guardian', excuse: 'unexcused' },
  { code: 'TRU', label: 'Truancy', excuse: 'unexcused' },
  { code: 'VAC', label: 'Family trip', excuse: 'unexcused' },
  { code: 'PND', label: 'Awaiting a note from home', excuse: 'unknown' },
];

/** Doses required by grade band (a simplified state schedule). */
export const immunizationRequirements: ReadonlyArray<{ vaccine: string; gradeLow: number; gradeHigh: number; doses: number }> = [
  { vaccine: 'DTaP', gradeLow: 0, gradeHigh: 12, doses: 5 },
  { vaccine: 'Polio', gradeLow: 0, gradeHigh: 12, doses: 4 },
  { vaccine: 'MMR', gradeLow: 0, gradeHigh: 12, doses: 2 },
  { vaccine: 'HepB', gradeLow: 0, gradeHigh: 12, doses: 3 },
  { vaccine: 'Varicella', gradeLow: 0, gradeHigh: 12, doses: 2 },
  { vaccine: 'Tdap', gradeLow: 7, gradeHigh: 12, doses: 1 },
  { vaccine: 'MenACWY', gradeLow: 7, gradeHigh: 12, doses: 1 },
];

export const trainings = [
  { code: 'FERPA', name: 'Student privacy (FERPA)', validMonths: 12 },
  { code: 'HEALTH', name: 'Health records handling', validMonths: 24 },
  { code: 'FEES', name: 'Cash handling and fees', validMonths: 12 },
  { code: 'ACCOUNTS', name: 'Family account administration', validMonths: 12 },
] as const;
