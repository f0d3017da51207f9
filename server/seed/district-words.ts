/**
 * The demo district's names in Spanish, Somali and Vietnamese, as its staff would have entered
 * them at `#/admin-words`: every course, term, grading period and task, assignment category, fee and
 * standard the generator writes (server/seed/catalog.ts, calendar.ts, generate.ts).
 */
import { NAMES_IN_USE_SQL } from '../domain/district-names.ts';
import type { TranslatedLanguage } from '../contract/district-words.ts';
import type { Queryable } from '../db/store.ts';

type Words = Record<TranslatedLanguage, string>;

/** Names written as they are, and the first part of names followed by a grade or a number. */
const NAMES: Record<string, Words> = {
  // Courses
  'Reading and Writing': { es: 'Lectura y escritura', so: 'Akhris iyo Qoris', vi: 'Đọc và Viết' },
  Mathematics: { es: 'Matemáticas', so: 'Xisaab', vi: 'Toán' },
  Math: { es: 'Matemáticas', so: 'Xisaab', vi: 'Toán' },
  Science: { es: 'Ciencias', so: 'Saynis', vi: 'Khoa học' },
  'Social Studies': { es: 'Estudios sociales', so: 'Cilmiga Bulshada', vi: 'Khoa học Xã hội' },
  'Art, Music and PE': { es: 'Arte, música y educación física', so: 'Farshaxan, Muusig iyo Jimicsi', vi: 'Mỹ thuật, Âm nhạc và Thể dục' },
  English: { es: 'Inglés', so: 'Ingiriisi', vi: 'Tiếng Anh' },
  'Physical Education': { es: 'Educación física', so: 'Jimicsi', vi: 'Thể dục' },
  Art: { es: 'Arte', so: 'Farshaxan', vi: 'Mỹ thuật' },
  Band: { es: 'Banda', so: 'Kooxda Muusigga', vi: 'Ban nhạc' },
  Spanish: { es: 'Español', so: 'Isbaanish', vi: 'Tiếng Tây Ban Nha' },
  'Computer Science': { es: 'Informática', so: 'Cilmiga Kombiyuutarka', vi: 'Khoa học Máy tính' },
  'Algebra I': { es: 'Álgebra I', so: 'Aljebra I', vi: 'Đại số I' },
  'Algebra II': { es: 'Álgebra II', so: 'Aljebra II', vi: 'Đại số II' },
  Biology: { es: 'Biología', so: 'Bayoloji', vi: 'Sinh học' },
  'World History': { es: 'Historia universal', so: 'Taariikhda Adduunka', vi: 'Lịch sử Thế giới' },
  'Health and Physical Education': { es: 'Salud y educación física', so: 'Caafimaad iyo Jimicsi', vi: 'Sức khỏe và Thể dục' },
  Geometry: { es: 'Geometría', so: 'Joometri', vi: 'Hình học' },
  Chemistry: { es: 'Química', so: 'Kimisteri', vi: 'Hóa học' },
  'U.S. History': { es: 'Historia de EE. UU.', so: 'Taariikhda Maraykanka', vi: 'Lịch sử Hoa Kỳ' },
  Physics: { es: 'Física', so: 'Fiisigis', vi: 'Vật lý' },
  Economics: { es: 'Economía', so: 'Dhaqaalaha', vi: 'Kinh tế học' },
  'Personal Finance': { es: 'Finanzas personales', so: 'Maaraynta Lacagta Qofka', vi: 'Tài chính Cá nhân' },
  Precalculus: { es: 'Precálculo', so: 'Hordhaca Kalkulas', vi: 'Tiền Giải tích' },
  'Environmental Science': { es: 'Ciencias ambientales', so: 'Sayniska Deegaanka', vi: 'Khoa học Môi trường' },
  'American Government': { es: 'Gobierno de EE. UU.', so: 'Dowladda Maraykanka', vi: 'Chính quyền Hoa Kỳ' },
  Psychology: { es: 'Psicología', so: 'Cilmi-nafsiga', vi: 'Tâm lý học' },
  // Terms and grading periods (followed by their number)
  Semester: { es: 'Semestre', so: 'Simistarka', vi: 'Học kỳ' },
  Quarter: { es: 'Trimestre', so: 'Rubuca', vi: 'Quý' },
  // Periods of the day and rooms (followed by their number)
  Period: { es: 'Período', so: 'Xiisadda', vi: 'Tiết' },
  Block: { es: 'Bloque', so: 'Qaybta', vi: 'Khối giờ' },
  Room: { es: 'Aula', so: 'Qolka', vi: 'Phòng' },
  // Grading tasks
  'Quarter grade': { es: 'Calificación del trimestre', so: 'Buundada rubuca', vi: 'Điểm quý' },
  'Semester grade': { es: 'Calificación del semestre', so: 'Buundada simistarka', vi: 'Điểm học kỳ' },
  'Progress report': { es: 'Informe de progreso', so: 'Warbixinta horumarka', vi: 'Báo cáo tiến bộ' },
  'Semester report': { es: 'Informe del semestre', so: 'Warbixinta simistarka', vi: 'Báo cáo học kỳ' },
  // Assignment categories
  Classwork: { es: 'Trabajo en clase', so: 'Shaqada fasalka', vi: 'Bài tập trên lớp' },
  Assessments: { es: 'Evaluaciones', so: 'Qiimaynta', vi: 'Bài đánh giá' },
  Homework: { es: 'Tarea', so: 'Shaqada guriga', vi: 'Bài tập về nhà' },
  Quizzes: { es: 'Pruebas cortas', so: 'Imtixaanno gaagaaban', vi: 'Bài kiểm tra ngắn' },
  Tests: { es: 'Exámenes', so: 'Imtixaannada', vi: 'Bài kiểm tra' },
  // Fees
  'Classroom supplies': { es: 'Materiales del salón', so: 'Agabka fasalka', vi: 'Đồ dùng lớp học' },
  'Field trip: science museum': { es: 'Excursión: museo de ciencias', so: 'Socdaal waxbarasho: matxafka sayniska', vi: 'Dã ngoại: bảo tàng khoa học' },
  'Chromebook protection plan': { es: 'Plan de protección del Chromebook', so: 'Qorshaha ilaalinta Chromebook-ga', vi: 'Gói bảo vệ Chromebook' },
  'Athletics participation fee': { es: 'Cuota de participación en deportes', so: 'Lacagta ka qaybgalka ciyaaraha', vi: 'Phí tham gia thể thao' },
  'Lab and materials fee': { es: 'Cuota de laboratorio y materiales', so: 'Lacagta shaybaarka iyo agabka', vi: 'Phí phòng thí nghiệm và vật liệu' },
  'Overdue library book': { es: 'Libro de la biblioteca vencido', so: 'Buug maktabadeed oo waqtigiisii dhaafay', vi: 'Sách thư viện quá hạn' },
  // Standards (elementary report cards)
  'Reads grade-level text with understanding': { es: 'Lee con comprensión textos de su grado', so: 'Si fahan leh ayuu u akhriyaa qoraalka heerka fasalkiisa', vi: 'Đọc hiểu văn bản đúng trình độ lớp' },
  'Writes to share ideas and information': { es: 'Escribe para compartir ideas e información', so: 'Wax buu u qoraa si uu fikrado iyo macluumaad u wadaago', vi: 'Viết để chia sẻ ý tưởng và thông tin' },
  'Listens and speaks in discussions': { es: 'Escucha y participa en conversaciones', so: 'Wuu dhegaystaa oo ka hadlaa doodaha', vi: 'Lắng nghe và phát biểu khi thảo luận' },
  'Solves problems with operations': { es: 'Resuelve problemas con operaciones', so: 'Masalooyinka ayuu ku xalliyaa hawlgallada xisaabta', vi: 'Giải toán bằng các phép tính' },
  'Understands place value': { es: 'Comprende el valor posicional', so: 'Wuu fahmaa qiimaha booska tirada', vi: 'Hiểu giá trị theo hàng của chữ số' },
  'Measures and works with data': { es: 'Mide y trabaja con datos', so: 'Wax buu cabbiraa oo xog ka shaqeeyaa', vi: 'Đo lường và làm việc với dữ liệu' },
  'Asks questions and investigates': { es: 'Hace preguntas e investiga', so: "Su'aalo buu weydiiyaa oo wax buu baaraa", vi: 'Đặt câu hỏi và tìm hiểu' },
  'Understands living things': { es: 'Comprende los seres vivos', so: 'Wuu fahmaa noolaha', vi: 'Hiểu về sinh vật' },
  'Understands community and citizenship': { es: 'Comprende la comunidad y la ciudadanía', so: 'Wuu fahmaa bulshada iyo muwaadinnimada', vi: 'Hiểu về cộng đồng và trách nhiệm công dân' },
  'Uses maps and places': { es: 'Usa mapas y ubica lugares', so: 'Wuxuu adeegsadaa khariidado iyo meelo', vi: 'Sử dụng bản đồ và địa danh' },
  'Creates and responds to art': { es: 'Crea arte y opina sobre él', so: 'Farshaxan buu sameeyaa oo ka jawaabaa', vi: 'Sáng tạo và cảm thụ mỹ thuật' },
  'Performs and responds to music': { es: 'Interpreta música y opina sobre ella', so: 'Muusig buu tumaa oo ka jawaabaa', vi: 'Biểu diễn và cảm thụ âm nhạc' },
  'Shows movement skills and teamwork': { es: 'Muestra destrezas motrices y trabajo en equipo', so: 'Wuxuu muujiyaa xirfadaha dhaqdhaqaaqa iyo wada-shaqaynta', vi: 'Thể hiện kỹ năng vận động và làm việc nhóm' },
};

/** Kindergarten, as the grade after an elementary course's name ("Mathematics K"). */
const KINDERGARTEN: Words = { es: 'Kínder', so: 'Xannaano', vi: 'Mẫu giáo' };

/** A demo name in the three languages, or undefined when the demo has no translation for it. */
export function translateDemoName(name: string): Words | undefined {
  const whole = NAMES[name];
  if (whole) return whole;
  const numbered = /^(.+) (K|\d{1,4})$/.exec(name);
  const head = numbered && NAMES[numbered[1]!];
  if (!numbered || !head) return undefined;
  const grade = numbered[2]!;
  const tail = (lang: TranslatedLanguage) => (grade === 'K' ? KINDERGARTEN[lang] : grade);
  return { es: `${head.es} ${tail('es')}`, so: `${head.so} ${tail('so')}`, vi: `${head.vi} ${tail('vi')}` };
}

/**
 * Writes the translations of every name the district uses (ids derived from the name, so two
 * seeds of one district write the same rows). Names without a translation are left to staff.
 */
export async function plantDistrictWords(db: Queryable, districtId: string): Promise<number> {
  const used = await db.query<{ source: string }>(`SELECT n.source FROM (${NAMES_IN_USE_SQL}) n GROUP BY n.source ORDER BY n.source`, [districtId]);
  const rows = used.flatMap(({ source }) => {
    const translations = translateDemoName(source);
    return translations ? [{ source, translations }] : [];
  });
  if (rows.length === 0) return 0;
  await db.query(
    `INSERT INTO district_words (district_id, id, source, translations)
     SELECT $1::uuid, md5($1::uuid::text || ':' || w.source)::uuid, w.source, w.translations
       FROM jsonb_to_recordset($2::jsonb) AS w(source text, translations jsonb)`,
    [districtId, JSON.stringify(rows)],
  );
  return rows.length;
}
