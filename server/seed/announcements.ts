/** Demo announcements, written in each language as the district's translators would. */
export type Translated = { en: string; es: string; so: string; vi: string };

export interface AnnouncementTemplate {
  scope: 'district' | 'school';
  level?: 'elementary' | 'middle' | 'high';
  /** The grade levels it is meant for (absent: every grade). */
  grades?: readonly number[];
  /** Days from today when it starts showing, and how many days it shows. */
  startOffset: number;
  days: number;
  title: Translated;
  body: Translated;
}

export const announcementTemplates: readonly AnnouncementTemplate[] = [
  {
    scope: 'district', startOffset: -5, days: 10,
    title: {
      en: 'No school for the Thanksgiving break',
      es: 'No hay clases durante el receso de Acción de Gracias',
      so: 'Ma jiro dugsi inta lagu jiro fasaxa Thanksgiving',
      vi: 'Nghỉ học trong kỳ nghỉ Lễ Tạ Ơn',
    },
    body: {
      en: 'Schools and district offices are closed for the Thanksgiving break. Classes resume on Monday.',
      es: 'Las escuelas y las oficinas del distrito estarán cerradas durante el receso de Acción de Gracias. Las clases se reanudan el lunes.',
      so: 'Dugsiyada iyo xafiisyada degmada waa xiran yihiin inta lagu jiro fasaxa Thanksgiving. Fasalladu waxay dib u furmayaan Isniinta.',
      vi: 'Các trường và văn phòng học khu đóng cửa trong kỳ nghỉ Lễ Tạ Ơn. Lớp học sẽ tiếp tục vào thứ Hai.',
    },
  },
  {
    scope: 'district', startOffset: -2, days: 21,
    title: {
      en: 'Winter weather: how we announce closings',
      es: 'Clima invernal: cómo avisamos los cierres',
      so: 'Cimilada jiilaalka: sida aan u ogeysiinno xiritaanka dugsiyada',
      vi: 'Thời tiết mùa đông: cách chúng tôi thông báo đóng cửa trường',
    },
    body: {
      en: 'When snow closes schools, we call, text and post here by 6 a.m. Please keep your phone numbers up to date.',
      es: 'Si la nieve obliga a cerrar las escuelas, llamaremos, enviaremos mensajes de texto y lo publicaremos aquí antes de las 6 a. m. Mantenga sus números de teléfono al día.',
      so: 'Haddii barafku keeno in dugsiyada la xiro, waan idin soo wici doonnaa, fariin qoraal ah ayaan idiin soo diri doonnaa, halkanna waan ku qori doonnaa ka hor 6-da subaxnimo. Fadlan cusboonaysii lambarrada taleefankaaga.',
      vi: 'Khi tuyết khiến trường phải đóng cửa, chúng tôi sẽ gọi điện, nhắn tin và đăng thông báo tại đây trước 6 giờ sáng. Xin quý vị cập nhật số điện thoại của mình.',
    },
  },
  {
    scope: 'district', startOffset: 0, days: 12,
    title: {
      en: 'Free flu shot clinic',
      es: 'Clínica gratuita de vacunas contra la gripe',
      so: 'Rug bilaash ah oo lagu bixiyo tallaalka hargabka',
      vi: 'Tiêm ngừa cúm miễn phí',
    },
    body: {
      en: 'Free flu shots for students and families in the high school gym, Saturday from 9 a.m. to 1 p.m. No insurance needed.',
      es: 'Vacunas gratuitas contra la gripe para estudiantes y familias en el gimnasio de la escuela preparatoria, el sábado de 9 a. m. a 1 p. m. No se necesita seguro médico.',
      so: 'Tallaalka hargabka oo bilaash ah oo loogu talagalay ardayda iyo qoysaska, hoolka ciyaaraha ee dugsiga sare, Sabtida 9-ka subaxnimo ilaa 1-da duhurnimo. Caymis looma baahna.',
      vi: 'Tiêm ngừa cúm miễn phí cho học sinh và gia đình tại phòng thể dục trường trung học, thứ Bảy từ 9 giờ sáng đến 1 giờ chiều. Không cần bảo hiểm.',
    },
  },
  {
    scope: 'school', startOffset: -3, days: 17,
    title: {
      en: 'Parent–teacher conferences',
      es: 'Conferencias de padres y maestros',
      so: 'Kulannada waalidiinta iyo macallimiinta',
      vi: 'Họp phụ huynh và giáo viên',
    },
    body: {
      en: "Sign up for a 15-minute conference with your child's teachers. Interpreters in Spanish, Somali and Vietnamese are available.",
      es: 'Inscríbase para una reunión de 15 minutos con los maestros de su hijo. Habrá intérpretes de español, somalí y vietnamita.',
      so: 'Isku diiwaangeli kulan 15 daqiiqo ah oo aad la yeelanayso macallimiinta ilmahaaga. Waxaa diyaar ah turjumaano Isbaanish, Af-Soomaali iyo Fiyatnaamiis ah.',
      vi: 'Xin quý vị đăng ký buổi gặp 15 phút với giáo viên của con mình. Có thông dịch viên tiếng Tây Ban Nha, tiếng Somali và tiếng Việt.',
    },
  },
  {
    scope: 'school', level: 'high', startOffset: 1, days: 20,
    title: {
      en: 'Winter concert',
      es: 'Concierto de invierno',
      so: 'Bandhigga muusigga jiilaalka',
      vi: 'Buổi hòa nhạc mùa đông',
    },
    body: {
      en: 'Our band and choir perform in the auditorium. Families are welcome!',
      es: 'Nuestra banda y nuestro coro se presentan en el auditorio. ¡Las familias son bienvenidas!',
      so: 'Kooxda muusigga iyo kooxda heesaha ayaa ku bandhigaya hoolka weyn. Qoysaska waa lagu soo dhaweynayaa!',
      vi: 'Ban nhạc và dàn hợp xướng của trường biểu diễn tại hội trường. Kính mời quý gia đình đến dự!',
    },
  },
  {
    scope: 'school', level: 'elementary', startOffset: -1, days: 9,
    title: {
      en: 'Picture retake day',
      es: 'Día para repetir las fotos escolares',
      so: 'Maalinta dib loogu qaado sawirrada dugsiga',
      vi: 'Ngày chụp lại ảnh học sinh',
    },
    body: {
      en: 'If your child missed picture day or you would like a retake, please send back the original photo packet.',
      es: 'Si su hijo faltó el día de fotos o usted desea repetirla, envíe de vuelta el paquete de fotos original.',
      so: 'Haddii ilmahaagu ka maqnaa maalintii sawirka ama aad jeclaan lahayd in dib loo qaado, fadlan soo celi xirmadii sawirrada ee asalka ahayd.',
      vi: 'Nếu con quý vị vắng mặt vào ngày chụp ảnh hoặc quý vị muốn chụp lại, xin gửi lại gói ảnh ban đầu.',
    },
  },
  {
    scope: 'school', level: 'elementary', grades: [3], startOffset: -2, days: 14,
    title: {
      en: 'Grade 3 field trip to the science museum',
      es: 'Excursión de tercer grado al museo de ciencias',
      so: 'Socdaalka fasalka 3aad ee matxafka sayniska',
      vi: 'Chuyến tham quan bảo tàng khoa học của lớp 3',
    },
    body: {
      en: 'Third graders visit the science museum next Thursday. Please return the signed permission slip and pack a lunch.',
      es: 'Los estudiantes de tercer grado visitarán el museo de ciencias el próximo jueves. Devuelva firmada la hoja de autorización y prepárele un almuerzo.',
      so: 'Ardayda fasalka 3aad waxay booqan doonaan matxafka sayniska Khamiista soo socota. Fadlan soo celi warqadda oggolaanshaha oo saxiixan, oo u diyaari qado.',
      vi: 'Học sinh lớp 3 sẽ tham quan bảo tàng khoa học vào thứ Năm tới. Xin quý vị gửi lại giấy cho phép đã ký và chuẩn bị bữa trưa cho con.',
    },
  },
];
