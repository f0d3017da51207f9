/** Names and places for the demo district's families, by the language spoken at home. */
export type HomeLanguage = 'en' | 'es' | 'so' | 'vi';

export interface NamePool {
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
  /** Vietnamese middle names mark gender; others get none most of the time. */
  middleFemale?: readonly string[];
  middleMale?: readonly string[];
}

export const namePools: Record<HomeLanguage, NamePool> = {
  en: {
    female: ['Emma', 'Olivia', 'Ava', 'Harper', 'Evelyn', 'Abigail', 'Emily', 'Ella', 'Charlotte', 'Amelia', 'Grace', 'Chloe', 'Zoe', 'Nora', 'Lily', 'Aaliyah', 'Maya', 'Hannah', 'Madison', 'Claire', 'Riley', 'Naomi', 'Savannah', 'Brooklyn', 'Jasmine', 'Sarah', 'Rachel', 'Megan', 'Jessica', 'Ashley', 'Jennifer', 'Amanda', 'Nicole', 'Stephanie', 'Heather', 'Laura', 'Kimberly', 'Erin'],
    male: ['Liam', 'Noah', 'Oliver', 'Elijah', 'James', 'Benjamin', 'Lucas', 'Mason', 'Ethan', 'Henry', 'Jack', 'Owen', 'Wyatt', 'Caleb', 'Isaac', 'Jayden', 'Jordan', 'Logan', 'Carter', 'Dylan', 'Gavin', 'Marcus', 'Andre', 'Tyler', 'Michael', 'David', 'Christopher', 'Matthew', 'Joshua', 'Andrew', 'Ryan', 'Brandon', 'Justin', 'Kevin', 'Jason', 'Eric', 'Nathan', 'Aaron'],
    family: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Hill', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Roberts', 'Turner', 'Phillips', 'Campbell', 'Parker', 'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Peterson', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Kelly', 'Howard', 'Ward', 'Brooks', 'Bennett', 'Gray', 'Hughes', 'Price', 'Sanders', 'Myers', 'Foster', 'Olson', 'Larson', 'Hanson', 'Lindqvist', 'Johansson'],
  },
  es: {
    female: ['Sofía', 'Valentina', 'Camila', 'María', 'Lucía', 'Daniela', 'Gabriela', 'Ana', 'Isabella', 'Ximena', 'Fernanda', 'Guadalupe', 'Mariana', 'Paola', 'Andrea', 'Alejandra', 'Rosa', 'Carmen', 'Elena', 'Adriana', 'Verónica', 'Yesenia', 'Marisol', 'Luz', 'Natalia', 'Renata'],
    male: ['Mateo', 'Santiago', 'Diego', 'José', 'Alejandro', 'Javier', 'Carlos', 'Luis', 'Emiliano', 'Juan', 'Miguel', 'Andrés', 'Sebastián', 'Jesús', 'Fernando', 'Ricardo', 'Eduardo', 'Francisco', 'Jorge', 'Raúl', 'Héctor', 'Óscar', 'Iván', 'Rafael', 'Tomás', 'Joaquín'],
    family: ['García', 'Martínez', 'Rodríguez', 'López', 'Hernández', 'González', 'Pérez', 'Sánchez', 'Ramírez', 'Torres', 'Flores', 'Rivera', 'Gómez', 'Díaz', 'Cruz', 'Morales', 'Reyes', 'Ortiz', 'Gutiérrez', 'Chávez', 'Ramos', 'Mendoza', 'Vargas', 'Castillo', 'Jiménez', 'Moreno', 'Romero', 'Herrera', 'Medina', 'Aguilar', 'Vázquez', 'Castro', 'Núñez', 'Salazar', 'Ibarra'],
  },
  so: {
    female: ['Amina', 'Hodan', 'Fartun', 'Ayaan', 'Halima', 'Farhiya', 'Ilhan', 'Sagal', 'Nasra', 'Ifrah', 'Najma', 'Hibo', 'Sahra', 'Deeqa', 'Ubah', 'Khadra', 'Maryan', 'Idil', 'Hamdi', 'Ladan', 'Muna', 'Ruqia', 'Safiya', 'Xaliimo', 'Asha', 'Fadumo'],
    male: ['Abdi', 'Mohamed', 'Hassan', 'Omar', 'Yusuf', 'Hamza', 'Abdirahman', 'Ahmed', 'Ali', 'Ibrahim', 'Mustafa', 'Abdullahi', 'Said', 'Farah', 'Liban', 'Guled', 'Mahad', 'Bashir', 'Khalid', 'Osman', 'Warsame', 'Jama', 'Nuur', 'Cabdi', 'Bile', 'Aden'],
    // Somali children usually carry their father's given name; these serve as the family line.
    family: ['Mohamed', 'Hassan', 'Ali', 'Ahmed', 'Abdi', 'Omar', 'Yusuf', 'Ibrahim', 'Farah', 'Jama', 'Warsame', 'Osman', 'Aden', 'Nur', 'Hussein', 'Abdullahi', 'Egal', 'Dahir', 'Elmi', 'Gedi', 'Hirsi', 'Ismail', 'Mohamud', 'Noor', 'Shire', 'Samatar'],
  },
  vi: {
    female: ['Anh', 'Châu', 'Giang', 'Hà', 'Hằng', 'Hoa', 'Lan', 'Linh', 'Mai', 'My', 'Ngọc', 'Nhi', 'Tâm', 'Thảo', 'Thư', 'Trang', 'Trinh', 'Uyên', 'Vy', 'Hạnh', 'Phương', 'Quỳnh', 'Thu', 'Yến', 'Loan', 'Diễm'],
    male: ['Bảo', 'Duy', 'Hải', 'Hiếu', 'Hùng', 'Huy', 'Khánh', 'Khoa', 'Long', 'Minh', 'Nam', 'Phúc', 'Quân', 'Quang', 'Trí', 'Tuấn', 'Việt', 'Đức', 'Thắng', 'Sơn', 'Phong', 'Thành', 'Tùng', 'Dũng', 'Kiên', 'Vinh'],
    family: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Trương', 'Đinh', 'Lâm', 'Mai'],
    middleFemale: ['Thị', 'Ngọc', 'Thu', 'Kim', 'Bích', 'Thanh'],
    middleMale: ['Văn', 'Minh', 'Đức', 'Quốc', 'Hữu', 'Thanh'],
  },
};

export const streets = ['Cedar Ave', 'Riverside Ave', 'Lake St', 'Franklin Ave', 'Bloomington Ave', 'Nicollet Ave', 'Portland Ave', 'Park Ave', 'Chicago Ave', 'Oakland Ave', 'Elliot Ave', '10th Ave S', '12th Ave S', '15th Ave S', 'Minnehaha Ave', 'Hiawatha Ave', 'Snelling Ave', 'University Ave', 'Dale St', 'Maple Grove Rd', 'Birch Ln', 'Willow Way', 'Juniper Ct', 'Aspen Dr', 'Prairie View Rd', 'Mill Pond Rd', 'Heritage Ln', 'Sunrise Blvd'];

export const cities = [
  { city: 'Riverbend', postal: ['55401', '55404', '55406', '55407', '55408'] },
  { city: 'North Riverbend', postal: ['55411', '55412'] },
  { city: 'Cedar Falls Township', postal: ['55454', '55455'] },
];

export const region = 'MN';
